package org.arca.sftp;

import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.PublicKeys;

/** Public-key sign-in with the keys users registered through the REST API; disabled accounts are refused. */
final class KeyLogin implements PublickeyAuthenticator {

    private final Authentication authentication;
    private final PublicKeys keys;

    KeyLogin(Authentication authentication, PublicKeys keys) {
        this.authentication = authentication;
        this.keys = keys;
    }

    @Override
    public boolean authenticate(String login, PublicKey key, ServerSession session) {
        long version = authentication.credentialsVersion();
        String fingerprint = KeyUtils.getFingerPrint(key);
        Optional<Caller> caller = keys.signIn(login, fingerprint);
        caller.ifPresent(c -> {
            session.setAttribute(SessionCaller.KEY, c);
            session.setAttribute(SessionCredential.KEY, SessionCredential.key(authentication, version,
                    keys, login, fingerprint));
        });
        return caller.isPresent();
    }
}
