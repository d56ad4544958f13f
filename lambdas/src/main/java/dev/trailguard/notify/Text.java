package dev.trailguard.notify;

/**
 * Makes untrusted text safe to place in a notification: no control or format characters (so no forged lines or
 * bidi tricks), white space folded, length bounded.
 */
public final class Text {

    private Text() {
    }

    /** One line, at most {@code max} characters; null becomes empty. */
    public static String line(String raw, int max) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), max + 1));
        boolean space = false;
        for (int i = 0; i < raw.length() && out.length() <= max; ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean blank = Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                    || type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.UNASSIGNED) {
                cp = '?';
                blank = false;
            }
            if (blank) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint(cp);
        }
        return truncate(out.toString(), max);
    }

    /** Like {@link #line} but printable ASCII only, as e-mail subjects need. */
    public static String asciiLine(String raw, int max) {
        String line = line(raw, max);
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return truncate(out.toString(), max);
    }

    private static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = max - 3;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "...";
    }
}
