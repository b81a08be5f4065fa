package org.arca.web;

import java.nio.file.Path;
import org.arca.preview.OfficeConverter;
import org.arca.preview.PreviewLimits;
import org.arca.preview.ZipUnpack;

/**
 * How the HTTP surface listens and what it accepts. {@code port} 0 picks a free port (tests).
 * {@code secureCookies} should be on whenever Arca sits behind TLS; {@code corsOrigins} lists the other
 * origins whose pages may call Arca (a viewer hosted elsewhere). {@code viewerDir} is where
 * {@code arca viewer install} put the OHIF viewer served at {@code /ohif/}; it need not exist. {@code sftp}
 * is what the portal tells users about the SFTP server running beside the web. {@code office} converts office
 * documents to PDF for previews (LibreOffice, found on the machine unless set otherwise); {@code previews} and
 * {@code unpack} bound preview workers and ZIP unpacking. {@code metrics} says who may read {@code /metrics};
 * {@code limits} how slow a client may be before its connection is closed.
 */
public record WebConfig(String host, int port, long maxJsonBytes, boolean secureCookies, Path tusDir,
                        java.util.List<String> corsOrigins, Path viewerDir, SftpInfo sftp, OfficeConverter office,
                        PreviewLimits previews, ZipUnpack.Limits unpack, MetricsAccess metrics, HttpLimits limits) {

    public WebConfig {
        corsOrigins = java.util.List.copyOf(corsOrigins);
    }

    /** With LibreOffice found on the machine, if it is installed. */
    public WebConfig(String host, int port, long maxJsonBytes, boolean secureCookies, Path tusDir,
                     java.util.List<String> corsOrigins, Path viewerDir, SftpInfo sftp) {
        this(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp,
                OfficeConverter.detect(PreviewLimits.defaults().timeout()), PreviewLimits.defaults(), ZipUnpack.Limits.defaults(),
                MetricsAccess.defaults(), HttpLimits.defaults());
    }

    /** Every address of the machine. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public static WebConfig defaults(Path dataDir, int port) {
        return new WebConfig(DEFAULT_HOST, port, 1 << 20, false, dataDir.resolve("uploads"), java.util.List.of(),
                dataDir.resolve("viewer"), SftpInfo.DISABLED);
    }

    public WebConfig withHost(String newHost) {
        return new WebConfig(newHost, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp, office,
                previews, unpack, metrics, limits);
    }

    /** Origins (scheme://host[:port]) allowed to call Arca from a browser page of theirs; empty allows none. */
    public WebConfig withCorsOrigins(java.util.List<String> origins) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, origins, viewerDir, sftp, office, previews,
                unpack, metrics, limits);
    }

    /** The folder holding the installed OHIF viewer (its {@code index.html} at the top). */
    public WebConfig withViewerDir(Path dir) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, dir, sftp, office, previews,
                unpack, metrics, limits);
    }

    /** The SFTP server users are shown in the portal. */
    public WebConfig withSftp(SftpInfo info) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, info, office,
                previews, unpack, metrics, limits);
    }

    /** The office converter previews use; {@link OfficeConverter#none()} shows office documents as HTML. */
    public WebConfig withOffice(OfficeConverter converter) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp, converter,
                previews, unpack, metrics, limits);
    }

    /**
     * Bounds of preview workers; LibreOffice, when it is the one found on the machine, gets the same time limit
     * as a preview worker.
     */
    public WebConfig withPreviewLimits(PreviewLimits previewLimits) {
        OfficeConverter converter = office.available() ? office.withTimeout(previewLimits.timeout()) : office;
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp, converter, previewLimits, unpack,
                metrics, limits);
    }

    /** Bounds of one ZIP unpacked into the repository. */
    public WebConfig withUnpackLimits(ZipUnpack.Limits unpackLimits) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp, office, previews, unpackLimits,
                metrics, limits);
    }

    /** Who may read {@code /metrics}. */
    public WebConfig withMetrics(MetricsAccess access) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp, office, previews, unpack,
                access, limits);
    }

    /** How slow a client may be before its connection is closed. */
    public WebConfig withLimits(HttpLimits newLimits) {
        return new WebConfig(host, port, maxJsonBytes, secureCookies, tusDir, corsOrigins, viewerDir, sftp, office, previews, unpack,
                metrics, newLimits);
    }
}
