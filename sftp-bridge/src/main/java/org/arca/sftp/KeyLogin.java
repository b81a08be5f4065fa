package org.arca.sftp;

import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.arca.core.Caller;
import org.arca.core.PublicKeys;

/** Public-key sign-in with the keys users registered through the REST API; disabled accounts are refused. */
final class KeyLogin implements PublickeyAuthenticator {

    private final PublicKeys keys;

    KeyLogin(PublicKeys keys) {
        this.keys = keys;
    }

    @Override
    public boolean authenticate(String login, PublicKey key, ServerSession session) {
        Optional<Caller> caller = keys.signIn(login, KeyUtils.getFingerPrint(key));
        caller.ifPresent(c -> session.setAttribute(SessionCaller.KEY, c));
        return caller.isPresent();
    }
}
