package org.arca.web;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.Accounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route against six callers: anonymous, signed in without a grant, READ, WRITE and ADMIN on the target
 * folder, and a global admin. Each cell of a route that writes runs on fresh data, so a DELETE in one cell
 * cannot hide another's answer. A route without a row fails the test: adding a route means deciding who may call it.
 */
class AuthorizationMatrixTest {

    private static final String[] CALLERS = {"anonymous", "stranger", "reader", "writer", "folderadmin", "root"};
    /** A site whose pages must not change anything here, and one listed in cors-origins. */
    private static final String EVIL = "https://evil.example";
    private static final String VIEWER = "https://viewer.example";

    /** What one cell sends. */
    record Call(String method, String path, String body, String contentType, Map<String, String> headers) {
        static Call of(String method, String path) {
            return new Call(method, path, null, null, Map.of());
        }

        static Call json(String method, String path, String body) {
            return new Call(method, path, body, "application/json", Map.of());
        }
    }

    /** The data one cell works on, made fresh for it. */
    final class Fixture {
        final Folder folder;
        final Folder sub;
        final String item;
        final String dicomItem;
        final int n = counter.incrementAndGet();
        boolean modelMade;
        String job;
        final String study = "1.2.826.0.1.3680043.10.77." + n;
        final String series = study + ".1";
        final String instance = series + ".1";

        Fixture() {
            var repo = server.repo();
            Folder collection = repo.folders().createCollection(owner, "Matrix " + n, null);
            folder = repo.folders().create(owner, collection.id(), "target", null);
            sub = repo.folders().create(owner, folder.id(), "sub", null);
            item = server.fixture().upload(owner, folder.id(), "item.txt", "content").id();
            byte[] dicom = new org.arca.web.dicom.SyntheticInstance(study, series, instance, "Matrix^Test", "M" + n, "20260101", "CT", 1)
                    .bytes();
            dicomItem = repo.items().upload(owner, folder.id(), "instance.dcm", "application/dicom",
                    new java.io.ByteArrayInputStream(dicom), dicom.length, false).id();
            repo.access().setAcl(owner, folder.id(), List.of(new AclEntry("user:reader", AccessLevel.READ),
                    new AclEntry("user:writer", AccessLevel.WRITE), new AclEntry("user:folderadmin", AccessLevel.ADMIN)));
        }

        String pendingUser() {
            var accounts = server.repo().accounts();
            String code = accounts.createSite(Caller.SYSTEM, "Site " + n, "CODE-" + n).registrationCode();
            return accounts.register("pending" + n, "a long password", "p@example.org", null, code).login();
        }

        String group() {
            return server.repo().accounts().createGroup(Caller.SYSTEM, "group" + n).name();
        }

        String zipItem() {
            byte[] zip = org.arca.preview.SampleFiles.zip("inside.txt", "x");
            return server.repo().items().upload(owner, folder.id(), "bundle" + counter.incrementAndGet() + ".zip", "application/zip",
                    new java.io.ByteArrayInputStream(zip), zip.length, false).id();
        }

        String ownersJob() {
            HttpTestClient.Response r = server.as("owner").post("/api/v1/items/" + zipItem() + "/extract",
                    "{\"targetFolderId\":\"" + sub.id() + "\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            return r.json().get("id").asText();
        }

        String ownersToken() {
            return server.repo().authentication().createToken(owner, "t", null).value().id();
        }

        /** A model version submitted by the owner, approved when asked; named after this fixture. */
        String model(boolean approved) {
            String name = "matrix" + n;
            if (modelMade) {
                return name; // a GET row applies its call to one fixture six times
            }
            modelMade = true;
            byte[] zip = org.arca.ai.ModelZips.boxFilter(name, "1.0");
            server.ai().models().submit(owner, new java.io.ByteArrayInputStream(zip), zip.length);
            if (approved) {
                server.ai().models().approve(Caller.SYSTEM, name, "1.0");
            }
            return name;
        }

        String ownersAiJob() {
            if (job != null) {
                return job;
            }
            String model = model(true);
            return job = server.ai().jobs().submit(owner, new org.arca.ai.JobRequest(model, "1.0", study, series, Map.of(),
                    folder.id())).id();
        }

        String jobBody() {
            return "{\"modelId\":" + q(model(true)) + ",\"version\":\"1.0\",\"inputs\":{\"studyInstanceUid\":" + q(study)
                    + ",\"seriesInstanceUid\":" + q(series) + "},\"outputFolderId\":" + q(folder.id()) + "}";
        }

        String ownersKey() {
            org.arca.sftp.PublicKeyLine line = org.arca.sftp.PublicKeyLine.parse(TestKeys.newLine());
            return server.repo().publicKeys().add(owner, "k", line.type(), line.data(), line.fingerprint()).id();
        }

        String writersUpload() {
            HttpTestClient.Response r = server.as("writer").header("Tus-Resumable", "1.0.0").header("Upload-Length", "4")
                    .header("Upload-Metadata", tusMetadata(folder.id(), "tus" + n + ".bin")).post("/api/v1/uploads", null);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            String location = r.header("Location");
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    /** A route's row: the expected status for each caller in {@link #CALLERS} order, and what to send. */
    record Row(String expected, Function<Fixture, Call> call) {
    }

    static TestServer server;
    static Caller owner;
    static final AtomicInteger counter = new AtomicInteger();
    static final Map<String, Row> TABLE = new LinkedHashMap<>();

    static void row(String route, String expected, Function<Fixture, Call> call) {
        TABLE.put(route, new Row(expected, call));
    }

    static {
        String pw = q(TestRepository.PASSWORD);
        row("POST /api/v1/collections", "401 201 201 201 201 201", f -> Call.json("POST", "/api/v1/collections", "{\"name\":\"c" + f.n + "\"}"));
        row("GET /api/v1/collections", "200 200 200 200 200 200", f -> Call.of("GET", "/api/v1/collections"));
        row("GET /api/v1/shared", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/shared"));
        row("POST /api/v1/folders", "401 404 403 201 201 201",
                f -> Call.json("POST", "/api/v1/folders", "{\"parentId\":" + q(f.folder.id()) + ",\"name\":\"new\"}"));
        row("GET /api/v1/folders/{id}", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/folders/" + f.folder.id()));
        row("GET /api/v1/folders/{id}/children", "404 404 200 200 200 200",
                f -> Call.of("GET", "/api/v1/folders/" + f.folder.id() + "/children"));
        row("PATCH /api/v1/folders/{id}", "401 404 403 200 200 200",
                f -> Call.json("PATCH", "/api/v1/folders/" + f.folder.id(), "{\"name\":\"renamed\"}"));
        row("DELETE /api/v1/folders/{id}", "401 404 403 403 204 204",
                f -> Call.of("DELETE", "/api/v1/folders/" + f.folder.id() + "?recursive=true"));
        row("POST /api/v1/folders/{id}/copy", "401 404 403 201 201 201",
                f -> Call.json("POST", "/api/v1/folders/" + f.sub.id() + "/copy", "{\"parentId\":" + q(f.folder.id()) + ",\"name\":\"copy\"}"));
        row("GET /api/v1/folders/{id}/acl", "401 404 403 403 200 200", f -> Call.of("GET", "/api/v1/folders/" + f.folder.id() + "/acl"));
        row("PUT /api/v1/folders/{id}/acl", "401 404 403 403 200 200", f -> Call.json("PUT", "/api/v1/folders/" + f.folder.id() + "/acl",
                "{\"entries\":[{\"principal\":\"user:folderadmin\",\"level\":\"ADMIN\"},{\"principal\":\"everyone\",\"level\":\"READ\"}]}"));
        row("GET /api/v1/folders/{id}/metadata", "404 404 200 200 200 200",
                f -> Call.of("GET", "/api/v1/folders/" + f.folder.id() + "/metadata"));
        row("PUT /api/v1/folders/{id}/metadata", "401 404 403 200 200 200",
                f -> Call.json("PUT", "/api/v1/folders/" + f.folder.id() + "/metadata", "{\"k\":\"v\"}"));
        row("GET /api/v1/items/{id}", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/items/" + f.item));
        row("PATCH /api/v1/items/{id}", "401 404 403 200 200 200",
                f -> Call.json("PATCH", "/api/v1/items/" + f.item, "{\"name\":\"renamed.txt\"}"));
        row("DELETE /api/v1/items/{id}", "401 404 403 204 204 204", f -> Call.of("DELETE", "/api/v1/items/" + f.item));
        row("POST /api/v1/items/{id}/copy", "401 404 403 201 201 201",
                f -> Call.json("POST", "/api/v1/items/" + f.item + "/copy", "{\"folderId\":" + q(f.sub.id()) + "}"));
        row("GET /api/v1/items/{id}/metadata", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/items/" + f.item + "/metadata"));
        row("PUT /api/v1/items/{id}/metadata", "401 404 403 200 200 200",
                f -> Call.json("PUT", "/api/v1/items/" + f.item + "/metadata", "{\"k\":1}"));
        row("PUT /api/v1/folders/{id}/files/{name}", "401 404 403 201 201 201",
                f -> new Call("PUT", "/api/v1/folders/" + f.folder.id() + "/files/new.txt", "bytes", "text/plain", Map.of()));
        row("POST /api/v1/folders/{id}/files", "401 404 403 201 201 201", f -> new Call("POST",
                "/api/v1/folders/" + f.folder.id() + "/files",
                "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"m.txt\"\r\n\r\nm\r\n--b--\r\n", "multipart/form-data; boundary=b", Map.of()));
        row("GET /api/v1/items/{id}/content", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/items/" + f.item + "/content"));
        row("HEAD /api/v1/items/{id}/content", "404 404 200 200 200 200", f -> Call.of("HEAD", "/api/v1/items/" + f.item + "/content"));
        row("GET /api/v1/folders/{id}/archive", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/folders/" + f.folder.id() + "/archive"));
        row("POST /api/v1/uploads", "401 404 403 201 201 201", f -> new Call("POST", "/api/v1/uploads", null, null,
                Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "4", "Upload-Metadata", tusMetadata(f.folder.id(), "u.bin"))));
        // Resumable uploads belong to whoever started them (here: writer); nobody else sees them, admins included.
        row("HEAD /api/v1/uploads/{upload}", "401 404 404 204 404 404",
                f -> new Call("HEAD", "/api/v1/uploads/" + f.writersUpload(), null, null, Map.of("Tus-Resumable", "1.0.0")));
        row("PATCH /api/v1/uploads/{upload}", "401 404 404 204 404 404",
                f -> new Call("PATCH", "/api/v1/uploads/" + f.writersUpload(), "abcd", "application/offset+octet-stream",
                        Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0")));
        row("DELETE /api/v1/uploads/{upload}", "401 404 404 204 404 404",
                f -> new Call("DELETE", "/api/v1/uploads/" + f.writersUpload(), null, null, Map.of("Tus-Resumable", "1.0.0")));
        row("OPTIONS /api/v1/uploads", "204 204 204 204 204 204", f -> Call.of("OPTIONS", "/api/v1/uploads"));
        row("POST /api/v1/auth/login", "200 200 200 200 200 200",
                f -> Call.json("POST", "/api/v1/auth/login", "{\"login\":\"owner\",\"password\":" + pw + "}"));
        row("POST /api/v1/auth/logout", "204 204 204 204 204 204", f -> Call.of("POST", "/api/v1/auth/logout"));
        row("POST /api/v1/register", "201 201 201 201 201 201", f -> Call.json("POST", "/api/v1/register",
                "{\"login\":\"reg" + f.n + "\",\"password\":\"a long password\",\"email\":\"r@example.org\",\"siteCode\":"
                        + q(server.repo().accounts().createSite(Caller.SYSTEM, "Reg site " + f.n, "REG-" + f.n).registrationCode()) + "}"));
        row("GET /api/v1/users/me", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/users/me"));
        row("GET /api/v1/users", "401 403 403 403 403 200", f -> Call.of("GET", "/api/v1/users"));
        row("POST /api/v1/users", "401 403 403 403 403 201", f -> Call.json("POST", "/api/v1/users",
                "{\"login\":\"made" + f.n + "\",\"password\":\"a long password\",\"email\":\"m@example.org\"}"));
        row("GET /api/v1/users/{login}", "401 404 404 404 404 200", f -> Call.of("GET", "/api/v1/users/owner"));
        row("PATCH /api/v1/users/{login}", "401 404 404 404 404 200",
                f -> Call.json("PATCH", "/api/v1/users/owner", "{\"displayName\":\"Owner " + f.n + "\"}"));
        row("PUT /api/v1/users/{login}/password", "401 404 404 404 404 204", f -> Call.json("PUT", "/api/v1/users/owner/password",
                "{\"password\":" + pw + ",\"currentPassword\":" + pw + "}"));
        row("POST /api/v1/users/{login}/approve", "401 403 403 403 403 200",
                f -> Call.of("POST", "/api/v1/users/" + f.pendingUser() + "/approve"));
        row("GET /api/v1/groups", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/groups"));
        row("POST /api/v1/groups", "401 403 403 403 403 201", f -> Call.json("POST", "/api/v1/groups", "{\"name\":\"g" + f.n + "\"}"));
        row("PUT /api/v1/groups/{name}/members/{login}", "401 403 403 403 403 200",
                f -> Call.of("PUT", "/api/v1/groups/" + f.group() + "/members/reader"));
        row("DELETE /api/v1/groups/{name}/members/{login}", "401 403 403 403 403 200",
                f -> Call.of("DELETE", "/api/v1/groups/" + f.group() + "/members/reader"));
        row("GET /api/v1/sites", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/sites"));
        row("POST /api/v1/sites", "401 403 403 403 403 201", f -> Call.json("POST", "/api/v1/sites", "{\"name\":\"s" + f.n + "\"}"));
        row("GET /api/v1/tokens", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/tokens"));
        row("POST /api/v1/tokens", "401 201 201 201 201 201", f -> Call.json("POST", "/api/v1/tokens", "{\"name\":\"t\"}"));
        row("DELETE /api/v1/tokens/{id}", "401 404 404 404 404 204", f -> Call.of("DELETE", "/api/v1/tokens/" + f.ownersToken()));
        row("GET /api/v1/sftp", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/sftp"));
        row("GET /api/v1/users/me/keys", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/users/me/keys"));
        row("POST /api/v1/users/me/keys", "401 201 201 201 201 201",
                f -> Call.json("POST", "/api/v1/users/me/keys", "{\"key\":\"" + TestKeys.newLine() + "\"}"));
        row("DELETE /api/v1/users/me/keys/{id}", "401 404 404 404 404 204",
                f -> Call.of("DELETE", "/api/v1/users/me/keys/" + f.ownersKey()));
        row("GET /api/v1/users/me/notifications", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/users/me/notifications"));
        row("POST /api/v1/users/me/notifications/read", "401 200 200 200 200 200",
                f -> Call.json("POST", "/api/v1/users/me/notifications/read", "{}"));
        row("GET /health", "200 200 200 200 200 200", f -> Call.of("GET", "/health"));
        // Metrics tell an outsider what the repository holds and how it is used: administrators (and a scraper
        // with the configured token, see MetricsAccessTest) only, unless configured public.
        row("GET /metrics", "401 403 403 403 403 200", f -> Call.of("GET", "/metrics"));
        row("GET /api/v1/openapi.json", "200 200 200 200 200 200", f -> Call.of("GET", "/api/v1/openapi.json"));
        row("GET /api/v1/audit", "401 403 403 403 403 200", f -> Call.of("GET", "/api/v1/audit"));
        row("GET /api/v1/audit/verify", "401 403 403 403 403 200", f -> Call.of("GET", "/api/v1/audit/verify"));
        row("GET /api/v1/search", "200 200 200 200 200 200", f -> Call.of("GET", "/api/v1/search?q=item"));
        row("GET /api/v1/items/{id}/extraction", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/items/" + f.item + "/extraction"));
        row("GET /api/v1/items/{id}/preview", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/items/" + f.item + "/preview"));
        row("POST /api/v1/items/{id}/extract", "401 404 403 202 202 202", f -> Call.json("POST", "/api/v1/items/" + f.zipItem()
                + "/extract", "{\"targetFolderId\":\"" + f.sub.id() + "\"}"));
        row("GET /api/v1/jobs/{id}", "401 404 404 404 404 200", f -> Call.of("GET", "/api/v1/jobs/" + f.ownersJob()));
        row("GET /api/v1/items/{id}/dicom", "404 404 200 200 200 200", f -> Call.of("GET", "/api/v1/items/" + f.dicomItem + "/dicom"));
        row("POST /api/v1/models", "401 201 201 201 201 201", f -> new Call("POST", "/api/v1/models",
                new String(org.arca.ai.ModelZips.boxFilter("sub" + f.n, "1.0"), StandardCharsets.ISO_8859_1), "application/zip", Map.of()));
        row("GET /api/v1/models", "200 200 200 200 200 200", f -> Call.of("GET", "/api/v1/models"));
        // Approved versions are visible to everybody; review needs a curator (root is an admin, which includes it).
        row("GET /api/v1/models/{id}/versions/{version}", "200 200 200 200 200 200",
                f -> Call.of("GET", "/api/v1/models/" + f.model(true) + "/versions/1.0"));
        row("POST /api/v1/models/{id}/versions/{version}/approve", "401 404 404 404 404 200",
                f -> Call.of("POST", "/api/v1/models/" + f.model(false) + "/versions/1.0/approve"));
        row("POST /api/v1/models/{id}/versions/{version}/reject", "401 404 404 404 404 200",
                f -> Call.json("POST", "/api/v1/models/" + f.model(false) + "/versions/1.0/reject", "{\"reason\":\"no\"}"));
        row("POST /api/v1/models/{id}/versions/{version}/withdraw", "401 403 403 403 403 200",
                f -> Call.of("POST", "/api/v1/models/" + f.model(true) + "/versions/1.0/withdraw"));
        // Inputs the caller cannot read are 404; an output folder they can only read is 403.
        row("POST /api/v1/jobs", "401 404 403 201 201 201", f -> Call.json("POST", "/api/v1/jobs", f.jobBody()));
        row("GET /api/v1/jobs", "401 200 200 200 200 200", f -> Call.of("GET", "/api/v1/jobs"));
        // GET /api/v1/jobs/{id} answers for AI jobs and unpack jobs alike (its row above uses an unpack job).
        row("DELETE /api/v1/jobs/{id}", "401 404 404 404 404 200", f -> Call.of("DELETE", "/api/v1/jobs/" + f.ownersAiJob()));
        dicomWebRows("/dicom-web", false);
        dicomWebRows("/dicom-web/folders/{folder}", true);
        stowRows("/dicom-web", false);
        stowRows("/dicom-web/folders/{folder}", true);
    }

    /** DICOMweb answers searches with what the caller may read (so 200 for all) and retrievals with 404 when hidden. */
    static void dicomWebRows(String root, boolean scoped) {
        String search = scoped ? "404 404 200 200 200 200" : "200 200 200 200 200 200";
        String fetch = "404 404 200 200 200 200";
        Function<Fixture, String> base = f -> scoped ? "/dicom-web/folders/" + f.folder.id() : "/dicom-web";
        row("GET " + root + "/studies", search, f -> Call.of("GET", base.apply(f) + "/studies"));
        row("GET " + root + "/series", search, f -> Call.of("GET", base.apply(f) + "/series"));
        row("GET " + root + "/instances", search, f -> Call.of("GET", base.apply(f) + "/instances"));
        row("GET " + root + "/studies/{study}/series", search, f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/series"));
        row("GET " + root + "/studies/{study}/instances", search,
                f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/instances"));
        row("GET " + root + "/studies/{study}/series/{series}/instances", search,
                f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/instances"));
        row("GET " + root + "/studies/{study}", fetch, f -> Call.of("GET", base.apply(f) + "/studies/" + f.study));
        row("GET " + root + "/studies/{study}/series/{series}", fetch,
                f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/series/" + f.series));
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}", fetch,
                f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/instances/" + f.instance));
        row("GET " + root + "/studies/{study}/metadata", fetch, f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/metadata"));
        row("GET " + root + "/studies/{study}/series/{series}/metadata", fetch,
                f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/metadata"));
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}/metadata", fetch, f -> Call.of("GET",
                base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/instances/" + f.instance + "/metadata"));
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}/bulkdata/<path>", fetch, f -> Call.of("GET",
                base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/instances/" + f.instance + "/bulkdata/7FE00010"));
        Function<Fixture, String> instance = f -> base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/instances/" + f.instance;
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}/frames/{frames}", fetch,
                f -> Call.of("GET", instance.apply(f) + "/frames/1"));
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}/rendered", fetch,
                f -> Call.of("GET", instance.apply(f) + "/rendered"));
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/rendered", fetch,
                f -> Call.of("GET", instance.apply(f) + "/frames/1/rendered"));
        row("GET " + root + "/studies/{study}/series/{series}/instances/{instance}/thumbnail", fetch,
                f -> Call.of("GET", instance.apply(f) + "/thumbnail"));
        row("GET " + root + "/studies/{study}/series/{series}/thumbnail", fetch,
                f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/series/" + f.series + "/thumbnail"));
        row("GET " + root + "/studies/{study}/thumbnail", fetch, f -> Call.of("GET", base.apply(f) + "/studies/" + f.study + "/thumbnail"));
    }

    static void stowRows(String root, boolean scoped) {
        Function<Fixture, String> base = f -> scoped ? "/dicom-web/folders/" + f.folder.id() : "/dicom-web";
        String expected = scoped ? "401 404 403 200 200 200" : "401 200 200 200 200 200";
        Function<Fixture, Call> body = f -> {
            String boundary = "matrix" + f.n;
            byte[] part = new org.arca.web.dicom.SyntheticInstance(f.study + ".9", f.study + ".9.1", f.study + ".9.1." + f.n,
                    "Stow^Matrix", "S" + f.n, "20260101", "CT", 1).bytes();
            return new Call("POST", base.apply(f) + "/studies", new String(org.arca.web.dicom.DicomWebTestSupport.multipart(boundary,
                    part), StandardCharsets.ISO_8859_1), "multipart/related; type=application/dicom; boundary=" + boundary, Map.of());
        };
        row("POST " + root + "/studies", expected, body);
        row("POST " + root + "/studies/{study}", expected, f -> {
            Call c = body.apply(f);
            return new Call(c.method(), c.path() + "/" + f.study + ".9", c.body(), c.contentType(), c.headers());
        });
    }

    static String tusMetadata(String folderId, String name) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "folderId " + b64.encodeToString(folderId.getBytes(StandardCharsets.UTF_8)) + ",filename "
                + b64.encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void start() {
        server = new TestServer(TestDatabases.Kind.H2, c -> c, w -> w.withCorsOrigins(List.of(VIEWER)));
        owner = server.user("owner");
        for (String login : List.of("stranger", "reader", "writer", "folderadmin")) {
            server.user(login);
        }
        server.repo().accounts().create(Caller.SYSTEM, new Accounts.NewUser("root", TestRepository.PASSWORD, "root@example.org",
                null, null, java.util.Set.of(Role.ADMIN)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Whatever a route answers (stored bytes, a rendered frame, JSON, an error) a browser shows it, if at all, as an
     * inert document: sandboxed without scripts, its type never sniffed.
     */
    static boolean servedAsInertContent(HttpTestClient.Response response) {
        String policy = response.header("Content-Security-Policy");
        return "nosniff".equals(response.header("X-Content-Type-Options")) && policy != null
                && policy.startsWith("sandbox;") && policy.contains("default-src 'none'");
    }

    @Test
    void everyRouteHasARow() {
        List<String> routes = server.web().routes().stream().map(Route::key).toList();
        assertThat(TABLE.keySet()).containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void everyCallerGetsTheAnswerTheTableSays() {
        List<String> mismatches = new ArrayList<>();
        for (var entry : TABLE.entrySet()) {
            String[] expected = entry.getValue().expected().split(" ");
            // Reads change nothing, so one fixture serves all six callers of a GET or HEAD row.
            boolean reads = entry.getKey().startsWith("GET ") || entry.getKey().startsWith("HEAD ");
            Fixture shared = reads ? new Fixture() : null;
            for (int i = 0; i < CALLERS.length; i++) {
                Call call = entry.getValue().call().apply(reads ? shared : new Fixture());
                HttpTestClient client = CALLERS[i].equals("anonymous") ? server.anonymous() : server.as(CALLERS[i]);
                call.headers().forEach(client::header);
                HttpTestClient.Response response = client.send(call.method(), call.path(), bytes(call), call.contentType());
                if (response.status() != Integer.parseInt(expected[i])) {
                    mismatches.add(entry.getKey() + " as " + CALLERS[i] + ": expected " + expected[i] + ", got " + response);
                }
                if (!servedAsInertContent(response)) {
                    mismatches.add(entry.getKey() + " as " + CALLERS[i] + ": no sandbox policy or nosniff in " + response.headers());
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /**
     * STOW-RS into the caller's home of another instance under the UID of the fixture's instance: a duplicate (0x0111)
     * only to callers who may read that instance; the others store theirs, and so learn nothing of it.
     */
    @Test
    void aStoredSopInstanceUidIsADuplicateOnlyToCallersWhoMayReadIt() {
        String[] expected = "401 200 409 409 409 409".split(" ");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < CALLERS.length; i++) {
            Fixture f = new Fixture();
            byte[] other = new org.arca.web.dicom.SyntheticInstance(f.study, f.series, f.instance, "Other^Caller", "O" + f.n,
                    "20260102", "CT", 2).bytes();
            String boundary = "dup" + f.n;
            HttpTestClient client = CALLERS[i].equals("anonymous") ? server.anonymous() : server.as(CALLERS[i]);
            HttpTestClient.Response response = client.send("POST", "/dicom-web/studies",
                    org.arca.web.dicom.DicomWebTestSupport.multipart(boundary, other), "multipart/related; type=application/dicom; boundary=" + boundary);
            boolean answered = response.status() == Integer.parseInt(expected[i]) && (response.status() != 409
                    || response.json().at("/00081198/Value/0/00081197/Value/0").asInt() == 0x0111);
            if (!answered) {
                mismatches.add(CALLERS[i] + ": expected " + expected[i] + ", got " + response);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /**
     * Every route that changes something (sign-in, tus and STOW-RS included) refuses a request a browser sent from
     * another site's page, with the session cookie or any other credentials; Arca's own pages and the origins in
     * cors-origins get the answer the table gives root.
     */
    @Test
    void everyWriteRouteRefusesPagesOfOtherSites() {
        String cookie = sessionCookie("root");
        List<String> mismatches = new ArrayList<>();
        for (var entry : TABLE.entrySet()) {
            String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
            if (!List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                continue;
            }
            int rootStatus = Integer.parseInt(entry.getValue().expected().split(" ")[CALLERS.length - 1]);
            Map<String, HttpTestClient> variants = new LinkedHashMap<>();
            variants.put("403 session cookie, Origin of another site", cookieClient(cookie).header("Origin", EVIL));
            variants.put("403 session cookie, Origin null", cookieClient(cookie).header("Origin", "null"));
            variants.put("403 no credentials, Origin of another site", server.anonymous().header("Origin", EVIL));
            variants.put("403 Basic, no Origin, Sec-Fetch-Site cross-site", server.as("root").header("Sec-Fetch-Site", "cross-site"));
            variants.put(rootStatus + " Basic, Origin in cors-origins", server.as("root").header("Origin", VIEWER));
            variants.put(rootStatus + " Basic, Arca's own Origin", server.as("root").header("Origin", server.base())
                    .header("Sec-Fetch-Site", "same-origin"));
            variants.forEach((variant, client) -> {
                Call call = entry.getValue().call().apply(new Fixture());
                call.headers().forEach(client::header);
                HttpTestClient.Response response = client.send(call.method(), call.path(), bytes(call), call.contentType());
                int expected = Integer.parseInt(variant.substring(0, 3));
                boolean refusedAsCrossSite = response.status() == 403 && response.text().contains("\"cross_site_request\"");
                if (response.status() != expected || (expected == 403) != refusedAsCrossSite) {
                    mismatches.add(entry.getKey() + " with " + variant.substring(4) + ": expected " + expected + ", got " + response);
                }
            });
        }
        assertThat(mismatches).isEmpty();
        assertThat(cookieClient(cookie).header("Origin", EVIL).get("/api/v1/collections").status())
                .as("reads from other sites' pages stay possible: they cannot see the answer without CORS").isEqualTo(200);
    }

    @Test
    void onlyPagesOfListedOriginsMayReadAnswers() {
        HttpTestClient.Response preflight = server.anonymous().header("Origin", VIEWER).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").send("OPTIONS", "/dicom-web/studies", null, null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(VIEWER);
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("authorization, content-type");
        HttpTestClient.Response listed = server.anonymous().header("Origin", VIEWER).get("/dicom-web/studies");
        assertThat(listed.header("Access-Control-Allow-Origin")).isEqualTo(VIEWER);
        assertThat(listed.header("Access-Control-Expose-Headers")).contains("X-Total-Count", "Warning");
        HttpTestClient.Response other = server.anonymous().header("Origin", EVIL).get("/dicom-web/studies");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        HttpTestClient.Response own = server.anonymous().header("Origin", server.base()).get("/dicom-web/studies");
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void signInTakesOnlyJsonSoNoFormCanPostIt() {
        String body = "{\"login\":\"owner\",\"password\":" + q(TestRepository.PASSWORD) + "}";
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            HttpTestClient.Response response = server.anonymous().send("POST", "/api/v1/auth/login",
                    body.getBytes(StandardCharsets.UTF_8), type);
            assertThat(response.status()).as(type + ": " + response).isEqualTo(415);
            assertThat(response.error()).isEqualTo("unsupported_media_type");
            assertThat(response.header("Set-Cookie")).isNull();
        }
        assertThat(server.anonymous().send("POST", "/api/v1/auth/login", body.getBytes(StandardCharsets.UTF_8), null).status())
                .isEqualTo(415);
        assertThat(server.anonymous().send("POST", "/api/v1/auth/login", body.getBytes(StandardCharsets.UTF_8),
                "application/json; charset=utf-8").status()).isEqualTo(200);
    }

    private static String sessionCookie(String login) {
        HttpTestClient.Response response = server.anonymous().post("/api/v1/auth/login",
                "{\"login\":" + q(login) + ",\"password\":" + q(TestRepository.PASSWORD) + "}");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.header("Set-Cookie").split(";")[0];
    }

    private static HttpTestClient cookieClient(String cookie) {
        return server.anonymous().header("Cookie", cookie);
    }

    private static byte[] bytes(Call call) {
        if (call.body() == null) {
            return null;
        }
        boolean binary = call.contentType() != null
                && (call.contentType().startsWith("multipart/related") || call.contentType().equals("application/zip"));
        return call.body().getBytes(binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
