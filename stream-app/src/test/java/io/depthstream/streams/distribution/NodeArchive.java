package io.depthstream.streams.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The node distribution built by {@code mvn package} ({@code target/depthstream-node-<version>.tar.gz}, whose path
 * the build passes as the system property {@value #PROPERTY}), read with the file modes it carries.
 */
final class NodeArchive {
  static final String PROPERTY = "depthstream.node.archive";

  /** Files up to this size keep their content in {@link Entry#content()}: the configurations, the scripts. */
  private static final long KEPT_CONTENT_BYTES = 64 * 1024;

  /** An entry's path inside the archive's top directory, its Unix mode, and its content when small (else null). */
  record Entry(String path, int mode, long size, byte[] content) {
    /** The content as UTF-8 text. */
    String text() {
      if (content == null) {
        throw new IllegalStateException(path + " is " + size + " bytes: not kept as text");
      }
      return new String(content, StandardCharsets.UTF_8);
    }

    boolean executable() {
      return (mode & 0111) != 0;
    }
  }

  private NodeArchive() {}

  /** The archive, or an error saying how to build it. */
  static Path path() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null) {
      throw new IllegalStateException("system property " + PROPERTY + " is not set: run through Maven (mvn package)");
    }
    Path archive = Path.of(configured);
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(archive + " does not exist: the assembly runs in mvn package");
    }
    return archive;
  }

  /** The name of the archive's one top directory: the file name less {@code .tar.gz}. */
  static String topDirectory() {
    String name = path().getFileName().toString();
    return name.substring(0, name.length() - ".tar.gz".length());
  }

  /** Every file entry (directories left out) by its path below the top directory, read in one pass. */
  static Map<String, Entry> files() {
    Map<String, Entry> files = new LinkedHashMap<>();
    String top = topDirectory() + "/";
    read((entry, in) -> {
      if (!entry.isDirectory()) {
        if (!entry.getName().startsWith(top)) {
          throw new IllegalStateException(entry.getName() + " is outside the top directory " + top);
        }
        String path = entry.getName().substring(top.length());
        byte[] content = entry.getSize() <= KEPT_CONTENT_BYTES ? in.readAllBytes() : null;
        files.put(path, new Entry(path, entry.getMode(), entry.getSize(), content));
      }
    });
    return files;
  }

  /** Unpacks the archive into {@code dir} as tar would, modes included; returns the distribution's directory. */
  static Path unpack(Path dir) {
    read((entry, in) -> {
      Path target = dir.resolve(entry.getName()).normalize();
      if (!target.startsWith(dir)) {
        throw new IllegalStateException("entry " + entry.getName() + " leaves the target directory");
      }
      if (entry.isDirectory()) {
        Files.createDirectories(target);
        return;
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target);
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
      if ((entry.getMode() & 0100) != 0) {
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
      }
      Files.setPosixFilePermissions(target, permissions);
    });
    return dir.resolve(topDirectory());
  }

  private interface EntryVisitor {
    void visit(TarArchiveEntry entry, InputStream content) throws IOException;
  }

  private static void read(EntryVisitor visitor) {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(path())))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        visitor.visit(entry, tar);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(), e);
    }
  }
}
