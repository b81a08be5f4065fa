package org.arca.sftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.arca.core.ArcaException;

/**
 * Turns the repository's errors into the file system exceptions MINA's SFTP server maps to SFTP status
 * codes (no such file, permission denied, file exists, directory not empty): the one place for that.
 */
final class SftpErrors {
    private SftpErrors() {
    }

    static IOException of(ArcaException e, String path) {
        return switch (e.kind()) {
            case NOT_FOUND -> new NoSuchFileException(path);
            case FORBIDDEN, UNAUTHORIZED -> new AccessDeniedException(path, null, e.getMessage());
            case CONFLICT -> switch (e.code()) {
                case "name_taken" -> new FileAlreadyExistsException(path, null, e.getMessage());
                case "folder_not_empty" -> new DirectoryNotEmptyException(path);
                default -> new FileSystemException(path, null, e.getMessage());
            };
            // The client sees the status message: the rule's reasons, so the sender knows what to fix.
            case REFUSED -> new AccessDeniedException(path, null, e.messageWithReasons());
            default -> new FileSystemException(path, null, e.getMessage());
        };
    }

    /** Runs a repository call, translating its error. */
    static <T> T call(String path, RepositoryCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (ArcaException e) {
            throw of(e, path);
        }
    }

    /** A call into the repository services that may throw {@link ArcaException} or I/O errors. */
    @FunctionalInterface
    interface RepositoryCall<T> {
        T run() throws IOException;
    }
}
