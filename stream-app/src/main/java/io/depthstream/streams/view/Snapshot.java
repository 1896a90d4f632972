package io.depthstream.streams.view;

import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.ProximityAlert;

/**
 * One sensor's frame as the live view shows it; immutable (the previews are fresh copies, the guidance protobufs are
 * immutable), so the HTTP thread reads it while the stream thread works on.
 *
 * @param version increases with every snapshot of any sensor: a page fetches a sensor's pictures only when it changed
 * @param sensor the sensor id (record key)
 * @param kind the sensor kind's short name (lidar, rgbd, vslam, focal_stack)
 * @param method the method that estimated the dense depth
 * @param sequence the frame's sequence number
 * @param captureTimeNs capture time, nanoseconds since the epoch
 * @param latencyNanos the frame's capture time to hand-over to the producer
 * @param input the measured input depth, downscaled ({@link Preview#NONE} for a focal stack)
 * @param dense the dense depth, downscaled
 * @param denseWidth the dense depth's full width in pixels
 * @param denseHeight its full height
 * @param scan the frame's laser scan
 * @param alert the frame's proximity alert
 */
public record Snapshot(long version, String sensor, String kind, String method, long sequence, long captureTimeNs,
    long latencyNanos, Preview input, Preview dense, int denseWidth, int denseHeight, LaserScan scan,
    ProximityAlert alert) {}
