/**
 * What the project's commands share around the depth library: the one progress bar and the one definition of
 * latency percentiles and frames per second. Tooling, not the node's hot path.
 */
package io.depthstream.depth.tooling;
