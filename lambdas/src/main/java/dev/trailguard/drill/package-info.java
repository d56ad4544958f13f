/**
 * The fire drill (issue 16), a capability the tamper response, the reporter and the sweep share: recognising a drill,
 * measuring its stages, publishing the drill notification and the metrics. A drill stops the canary trail with the drill
 * function's role; everything after that is the real path.
 */
package dev.trailguard.drill;
