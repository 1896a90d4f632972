package io.depthstream.connect.source.focal;

import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.connect.formats.FocalStackDirectory;
import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.connect.source.DriveItem;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.Drives;
import io.depthstream.connect.source.Emission;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FocalSlice;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.PixelFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Focal stacks ({@link FocalStackDirectory}: a directory per stack with PNGs and {@code focus.txt}) as
 * {@code FocalStack} messages whose slices keep the encoded PNG bytes ({@code PIXEL_FORMAT_PNG}). A stack whose
 * serialized size exceeds {@code max.message.bytes} is split greedily, in capture order, into chunks that each
 * fit, with the same id and {@code chunk_index / chunk_count}; an unsplit stack has chunk_count 1.
 */
public final class FocalStackDriveReader implements DriveReader {
  /** Room for the FocalStack header fields next to the slices in every chunk. */
  private static final int HEADER_ALLOWANCE = 256;

  private final String topic;
  private final int width;
  private final int height;
  private final int maxBytes;
  private final CameraIntrinsics intrinsics;
  private final List<DriveItem> items;

  public FocalStackDriveReader(FocalStackConfig c) {
    this.topic = c.topic();
    this.width = c.width();
    this.height = c.height();
    this.maxBytes = c.maxMessageBytes();
    double[] k = c.intrinsics("for focal stacks");
    this.intrinsics = DepthFrames.intrinsics(k[0], k[1], k[2], k[3], width, height);
    List<Path> dirs = Drives.directories(c.inputDir());
    List<DriveItem> list = new ArrayList<>(dirs.size());
    for (Path d : dirs) {
      list.add(new DriveItem(c.inputDir().relativize(d).toString(), d, stackTime(d)));
    }
    this.items = List.copyOf(list);
  }

  private static long stackTime(Path dir) {
    try {
      return FocalStackDirectory.read(dir).timeNs();
    } catch (BadFileException e) {
      return DriveItem.NO_TIME; // reported when the stack is read
    }
  }

  @Override
  public List<DriveItem> items() {
    return items;
  }

  @Override
  public List<Emission> read(DriveItem item, FrameId id) {
    FocalStackDirectory.Stack stack = FocalStackDirectory.read(item.path());
    List<FocalSlice> slices = new ArrayList<>();
    for (FocalStackDirectory.Slice s : stack.slices()) {
      if (s.header().width() != width || s.header().height() != height) {
        throw new BadFileException(s.file(), DeadLetterReason.WRONG_IMAGE_SIZE, "image is " + s.header().width() + "x"
            + s.header().height() + ", the connector is configured for " + width + "x" + height);
      }
      FocalSlice slice =
          FocalSlice.newBuilder().setFocusDistanceM(s.focusDistanceM()).setFormat(PixelFormat.PIXEL_FORMAT_PNG)
              .setPixels(UnsafeByteOperations.unsafeWrap(s.png())).build();
      if (slice.getSerializedSize() + HEADER_ALLOWANCE > maxBytes) {
        throw new BadFileException(s.file(), DeadLetterReason.TOO_LARGE, "one image is " + slice.getSerializedSize()
            + " bytes, more than max.message.bytes=" + maxBytes + " allows per chunk");
      }
      slices.add(slice);
    }
    List<List<FocalSlice>> chunks = new ArrayList<>();
    List<FocalSlice> current = new ArrayList<>();
    long size = HEADER_ALLOWANCE;
    for (FocalSlice s : slices) {
      long add = s.getSerializedSize() + 5L; // tag and length prefix of the repeated field
      if (!current.isEmpty() && size + add > maxBytes) {
        chunks.add(current);
        current = new ArrayList<>();
        size = HEADER_ALLOWANCE;
      }
      current.add(s);
      size += add;
    }
    chunks.add(current);
    List<Emission> out = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      FocalStack msg = FocalStack.newBuilder().setId(id).setWidth(width).setHeight(height).setIntrinsics(intrinsics)
          .addAllSlices(chunks.get(i)).setChunkIndex(i).setChunkCount(chunks.size()).build();
      out.add(new Emission(topic, msg.toByteArray()));
    }
    return out;
  }
}
