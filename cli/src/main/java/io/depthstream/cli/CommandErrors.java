package io.depthstream.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every depthstream command reports what went wrong, so that a user's mistake reads the same everywhere: ONE
 * line on stderr naming the problem and exit code {@value #USER_ERROR}, never a stack trace (the trace only with
 * {@code --verbose}, for a bug report).
 *
 * <ul>
 *   <li>A command-line mistake (an unknown or misspelt option, a missing or malformed value, a
 *       {@link CommandLine.ParameterException} the command throws itself): the problem, then {@code try --help},
 *       on one line.
 *   <li>An exception that says the user gave something wrong ({@link #isUserError}: a bad value, a missing or
 *       unreadable file, plus whatever the command's {@code userErrors} recognise, such as Kafka's
 *       {@code ConfigException}): its message on one line.
 *   <li>Anything else is a failure of the program itself: one line saying so, exit code {@value #INTERNAL_ERROR}.
 * </ul>
 *
 * <p>Every command declares {@code @Mixin CommandErrors.Verbose verbose;} and builds its command line with
 * {@link #commandLine}.
 */
public final class CommandErrors {
  /** Exit code of a user's mistake (Unix convention for a usage error). */
  public static final int USER_ERROR = 2;
  /** Exit code of a failure of the program itself. */
  public static final int INTERNAL_ERROR = 1;

  private CommandErrors() {}

  /**
   * Reads an exception as a user's mistake: the one line to print, or null when the exception is none of the kind
   * it knows (e.g. Kafka's configuration errors, for the commands that talk to Kafka).
   */
  @FunctionalInterface
  public interface MistakeReader {
    String read(Throwable t);
  }

  /** The {@code --verbose} option every command accepts (a picocli mixin). */
  public static final class Verbose {
    /** The option's name, as the handlers look for it. */
    public static final String NAME = "--verbose";

    @Option(names = NAME, description = "On an error, also print its stack trace (for a bug report).")
    boolean verbose;
  }

  /**
   * {@code command}'s command line with these handlers installed.
   *
   * @param userErrors the command's own kinds of mistake, asked before the built-in ones
   * @throws IllegalStateException when {@code command} does not declare the {@link Verbose} mixin
   */
  public static CommandLine commandLine(Object command, MistakeReader... userErrors) {
    return install(new CommandLine(command), userErrors);
  }

  /** As {@link #commandLine}, for a command line already built (e.g. with its own settings). */
  public static CommandLine install(CommandLine line, MistakeReader... userErrors) {
    if (line.getCommandSpec().findOption(Verbose.NAME) == null) {
      throw new IllegalStateException(line.getCommandName() + " declares no " + Verbose.NAME
          + " (add @Mixin CommandErrors.Verbose)");
    }
    List<MistakeReader> readers = new ArrayList<>(Arrays.asList(userErrors));
    readers.add(CommandErrors::builtInUserError);
    line.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      if (Arrays.asList(args).contains(Verbose.NAME)) {
        ex.printStackTrace(err);
      }
      err.println(oneLine(ex.getMessage()) + suggestions(ex) + "; try --help");
      err.flush();
      return USER_ERROR;
    });
    line.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      boolean verbose = parsed.hasMatchedOption(Verbose.NAME);
      if (verbose) {
        ex.printStackTrace(err);
      }
      String userMessage = userMessage(ex, readers);
      if (userMessage != null) {
        err.println(userMessage);
        err.flush();
        return USER_ERROR;
      }
      err.println("internal error: " + oneLine(String.valueOf(ex))
          + (verbose ? "" : " (" + Verbose.NAME + " prints the stack trace for a bug report)"));
      err.flush();
      return INTERNAL_ERROR;
    });
    return line;
  }

  /** True when {@code t} (or a cause of it) says that the user gave something wrong. */
  public static boolean isUserError(Throwable t) {
    return userMessage(t, List.of(CommandErrors::builtInUserError)) != null;
  }

  /** The first reader's line for {@code t} or, failing that, for one of its causes; null if none reads it. */
  private static String userMessage(Throwable t, List<MistakeReader> readers) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      for (MistakeReader reader : readers) {
        String message = reader.read(c);
        if (message != null) {
          return oneLine(message);
        }
      }
    }
    return null;
  }

  /**
   * A bad value ({@link IllegalArgumentException}, the JDK's and this project's way to refuse an argument) or a
   * file that is missing or cannot be read.
   */
  private static String builtInUserError(Throwable t) {
    if (t instanceof FileSystemException e) {
      return fileProblem(e);
    }
    if (t instanceof FileNotFoundException || t instanceof IllegalArgumentException) {
      return t.getMessage();
    }
    return null;
  }

  /** What is wrong with a file, in words, e.g. {@code no such file or directory: config/x.properties}. */
  public static String fileProblem(IOException e) {
    String reason = e instanceof FileSystemException f && f.getReason() != null ? " (" + f.getReason() + ")" : "";
    if (e instanceof NoSuchFileException f) {
      return "no such file or directory: " + f.getFile() + reason;
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile() + reason;
    }
    if (e instanceof NotDirectoryException f) {
      return "not a directory: " + f.getFile() + reason;
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "already exists: " + f.getFile()
          + (reason.isEmpty() ? " (a file where a directory must be made?)" : reason);
    }
    if (e instanceof FileSystemException f) {
      return "cannot use " + f.getFile() + (f.getReason() == null ? "" : ": " + f.getReason());
    }
    return e.getMessage();
  }

  private static String suggestions(CommandLine.ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
      return " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
    }
    return "";
  }

  /** Line breaks inside a message become spaces, so the problem stays one line. */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
