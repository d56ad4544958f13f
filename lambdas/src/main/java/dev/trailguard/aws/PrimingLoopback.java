package dev.trailguard.aws;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Priming over the real HTTP stack: a minimal HTTP/1.1 server on the loopback interface, inside this JVM, that serves
 * {@link PrimingHttpClient}'s canned answers, and an {@link SdkHttpClient} that hands every request to the production
 * HTTP client (URL connection) after pointing it at that server: the SDK builds, signs and marshals each request as
 * usual and only the last hop is redirected. The first real event then no longer pays for loading and interpreting
 * the JDK's HTTP and socket code (about 120 classes). Nothing leaves the machine. {@link #close()} closes the server
 * and every connection it accepted. The JDK may keep the client's end of an idle connection in its keep-alive cache
 * until its timer drops it; that half-closed socket leads nowhere (nothing listens on the port any more) and is never
 * reused for a real endpoint.
 */
final class PrimingLoopback implements AutoCloseable {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final PrimingHttpClient answers;
    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PrimingLoopback(PrimingHttpClient answers) throws IOException {
        this.answers = answers;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "trailguard-priming-loopback");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts the server on an ephemeral loopback port. */
    static PrimingLoopback start(PrimingHttpClient answers) throws IOException {
        return new PrimingLoopback(answers);
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code delegate} (the production HTTP client), with every request sent to this server instead. */
    SdkHttpClient redirecting(SdkHttpClient delegate) {
        String host = server.getInetAddress().getHostAddress();
        int port = port();
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                HttpExecuteRequest.Builder redirected = HttpExecuteRequest.builder()
                        .request(request.httpRequest().toBuilder().protocol("http").host(host).port(port).build());
                request.contentStreamProvider().ifPresent(redirected::contentStreamProvider);
                request.metricCollector().ifPresent(redirected::metricCollector);
                return delegate.prepareRequest(redirected.build());
            }

            @Override
            public String clientName() {
                return delegate.clientName();
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(socket);
            try {
                // Without it every answer waits for the client's delayed ACK (about 40 ms on Linux).
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                // the connection is already gone; serve() will find out
            }
            Thread worker = new Thread(() -> serve(socket), "trailguard-priming-connection");
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** Serves one connection, request after request (the client keeps connections alive), until it closes. */
    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            while (!closed) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String target = null;
                int length = 0;
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (name.equals("x-amz-target")) {
                        target = value;
                    } else if (name.equals("content-length")) {
                        length = Integer.parseInt(value);
                    } else if (name.equals("transfer-encoding") || name.equals("expect")) {
                        // Not spoken here (the SDK sends neither for these services): fail this call loudly rather
                        // than misread the body as the next request.
                        return;
                    }
                }
                if (length < 0 || length > MAX_BODY_BYTES) {
                    return;
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                PrimingHttpClient.Answer answer = answers.answer(target, body);
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream response = new ByteArrayOutputStream(bytes.length + 160);
                response.write(("HTTP/1.1 200 OK\r\nContent-Type: " + answer.contentType() + "\r\nContent-Length: "
                        + bytes.length + "\r\nx-amzn-RequestId: 00000000-0000-4000-8000-000000000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                response.write(bytes);
                out.write(response.toByteArray()); // one write: one segment
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or sent something this server does not speak: the SDK call fails and priming
            // logs it; nothing to do here.
        } finally {
            connections.remove(socket);
        }
    }

    /** The request line and headers, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("request head too large");
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
