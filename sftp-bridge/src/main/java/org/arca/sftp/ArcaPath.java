package org.arca.sftp;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.util.List;
import org.apache.sshd.common.file.util.BasePath;

/**
 * A path in one session's view of the repository. Paths from a directory listing carry the node they name,
 * so the attributes the SFTP server asks for right after a listing cost no further query.
 */
final class ArcaPath extends BasePath<ArcaPath, ArcaFileSystem> {

    private final Node listed;

    ArcaPath(ArcaFileSystem fs, String root, List<String> names) {
        this(fs, root, names, null);
    }

    ArcaPath(ArcaFileSystem fs, String root, List<String> names, Node listed) {
        super(fs, root, names);
        this.listed = listed;
    }

    /** The node this path was listed with, or null: a hint valid only for the listing's reply. */
    Node listed() {
        return listed;
    }

    /** The names from the root, with {@code .} and {@code ..} resolved; nothing climbs above the root. */
    List<String> segments() {
        return ((ArcaPath) toAbsolutePath().normalize()).names;
    }

    @Override
    public ArcaPath toRealPath(LinkOption... options) throws IOException {
        ArcaPath absolute = (ArcaPath) toAbsolutePath().normalize();
        getFileSystem().tree().resolve(absolute.segments());
        return absolute;
    }
}
