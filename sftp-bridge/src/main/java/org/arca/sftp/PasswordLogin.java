package org.arca.sftp;

import java.net.InetSocketAddress;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.arca.core.ArcaException;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Authentication;

/**
 * Password sign-in through the repository's {@link Authentication}: the same throttling and account status
 * rules as the web. An API token works as the password, for accounts that sign in elsewhere (OIDC).
 */
final class PasswordLogin implements PasswordAuthenticator {

    private final Authentication authentication;

    PasswordLogin(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public boolean authenticate(String login, String password, ServerSession session) {
        try {
            long version = authentication.credentialsVersion();
            boolean token = Authentication.looksLikeToken(password);
            // Read before the password is checked: a change meanwhile then ends the session at its first request.
            String stamp = token ? "" : authentication.passwordStamp(login).orElse("");
            Caller caller = token ? authentication.token(password) : authentication.password(login, password, source(session));
            if (!caller.login().equalsIgnoreCase(login)) {
                return false; // someone else's token
            }
            session.setAttribute(SessionCaller.KEY, caller);
            session.setAttribute(SessionCredential.KEY, token ? SessionCredential.token(authentication, version, password)
                    : SessionCredential.password(authentication, version, login, caller.userId(), stamp));
            return true;
        } catch (ArcaException e) {
            return false;
        }
    }

    /** The peer's address without its port, so all of one client's connections count as one source. */
    private static String source(ServerSession session) {
        return session.getClientAddress() instanceof InetSocketAddress peer ? peer.getAddress().getHostAddress()
                : String.valueOf(session.getClientAddress());
    }
}
