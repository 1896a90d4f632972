/**
 * What the project's commands share around the depth library: the one progress bar, the one definition of
 * latency percentiles and frames per second, and the one way a command reports a mistake ({@link
 * io.depthstream.depth.tooling.CommandErrors}). Tooling, not the node's hot path.
 */
package io.depthstream.depth.tooling;
