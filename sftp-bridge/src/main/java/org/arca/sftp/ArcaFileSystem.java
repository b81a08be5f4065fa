package org.arca.sftp;

import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.file.util.BaseFileSystem;

/**
 * One SFTP session's file system: the repository as the signed-in user sees it. It holds no files of
 * its own; every operation goes to the session's {@link RepositoryTree}.
 */
final class ArcaFileSystem extends BaseFileSystem<ArcaPath> {

    private final RepositoryTree tree;
    private volatile boolean open = true;

    ArcaFileSystem(ArcaFileSystemProvider provider, RepositoryTree tree) {
        super(provider);
        this.tree = tree;
    }

    RepositoryTree tree() {
        return tree;
    }

    @Override
    protected ArcaPath create(String root, List<String> names) {
        return new ArcaPath(this, root, names);
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("Owners are not settable over SFTP");
    }
}
