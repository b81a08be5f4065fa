package org.arca.sftp;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A node's attributes as SFTP clients see them: size, modification time, and permission bits that say
 * whether the signed-in user may change the thing (the ACL decides; the bits only tell).
 */
record NodeAttributes(Node node, String ownerName) implements PosixFileAttributes {

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(node.modified());
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return !node.directory();
    }

    @Override
    public boolean isDirectory() {
        return node.directory();
    }

    @Override
    public boolean isSymbolicLink() {
        return false;
    }

    @Override
    public boolean isOther() {
        return false;
    }

    @Override
    public long size() {
        return node.size();
    }

    @Override
    public Object fileKey() {
        return null;
    }

    @Override
    public UserPrincipal owner() {
        return new Name(ownerName);
    }

    @Override
    public GroupPrincipal group() {
        return new Name("arca");
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        String bits = node.directory() ? (node.writable() ? "rwxr-xr-x" : "r-xr-xr-x")
                : (node.writable() ? "rw-r--r--" : "r--r--r--");
        return PosixFilePermissions.fromString(bits);
    }

    /** A user or group name as listings print it; MINA prints the principal's {@code toString()}. */
    record Name(String getName) implements GroupPrincipal {
        @Override
        public String toString() {
            return getName;
        }
    }

    /** The attributes by name, for {@code Files.readAttributes(path, "posix:*")}. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("size", size());
        map.put("lastModifiedTime", lastModifiedTime());
        map.put("lastAccessTime", lastAccessTime());
        map.put("creationTime", creationTime());
        map.put("isRegularFile", isRegularFile());
        map.put("isDirectory", isDirectory());
        map.put("isSymbolicLink", false);
        map.put("isOther", false);
        map.put("fileKey", null);
        map.put("permissions", permissions());
        map.put("owner", owner());
        map.put("group", group());
        return map;
    }
}
