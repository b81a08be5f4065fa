package org.arca.sftp;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.arca.core.access.Caller;

/** The session attribute holding who signed in, set by the authenticators and read when the file system opens. */
final class SessionCaller {
    static final AttributeKey<Caller> KEY = new AttributeKey<>();

    private SessionCaller() {
    }
}
