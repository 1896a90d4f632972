/**
 * What every command of the project shares, the node's included: the one way to report a user's mistake
 * ({@link io.depthstream.cli.CommandErrors}) and the one duration option. Depends on picocli only, so the runtime
 * (stream-app) and the tools use it alike, and neither the Connect plugin nor the depth library carries picocli.
 */
package io.depthstream.cli;
