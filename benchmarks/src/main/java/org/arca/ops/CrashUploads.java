package org.arca.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.SopClass;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;

/**
 * Clients uploading into a server that is about to be killed, one loop per surface (REST PUT, tus, STOW-RS,
 * SFTP), each recording what it sent before sending and what the server acknowledged after. Every upload has
 * a name of its own and random bytes, so what survives can be matched to what was sent. A loop ends at its
 * first failed request (the server died), or when {@link #stop} is called.
 */
final class CrashUploads {
    /** The surfaces, as named in reports. */
    static final String REST = "rest", TUS = "tus", STOW = "stow", SFTP = "sftp";

    /** What a client sent: its surface and the SHA-256 of its bytes. */
    record Sent(String surface, String sha256, long size) {
    }

    private final int httpPort;
    private final int sftpPort;
    private final String login;
    private final String password;
    private final String folderId;
    private final String folderName;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Every upload begun, by name (for STOW, the SOP Instance UID): what may be found after the crash. */
    final Map<String, Sent> sent = new ConcurrentHashMap<>();
    /** The names whose upload the server acknowledged: what must be found after the crash. */
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    /** Why a client's loop ended, when it ended on an error: expected after the kill, telling before it. */
    volatile String failure;

    CrashUploads(int httpPort, int sftpPort, String login, String password, String folderId, String folderName) {
        this.httpPort = httpPort;
        this.sftpPort = sftpPort;
        this.login = login;
        this.password = password;
        this.folderId = folderId;
        this.folderName = folderName;
    }

    /** How many surfaces have had an upload acknowledged. */
    long acknowledgedSurfaces() {
        return acknowledged.stream().map(name -> sent.get(name).surface()).distinct().count();
    }

    void stop() {
        stopped = true;
    }

    /** Uploads through {@code surface} until the server dies or {@link #stop}; seeded for repeatable sizes. */
    void run(String surface, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try {
            if (surface.equals(SFTP)) {
                sftpLoop(random);
                return;
            }
            while (!stopped) {
                switch (surface) {
                    case REST -> restPut(random);
                    case TUS -> tus(random);
                    case STOW -> stow(random);
                    default -> throw new IllegalArgumentException(surface);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The server was killed under this client: the loop ends here; what it acknowledged is recorded.
            failure = surface + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void restPut(SplittableRandom random) throws IOException, InterruptedException {
        String name = "rest-" + UUID.randomUUID() + ".bin";
        byte[] body = bytes(random, 1 + random.nextInt(512 * 1024));
        begin(name, REST, body);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/api/v1/folders/" + folderId + "/files/" + name))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/octet-stream"));
        acknowledgeIf(answer.statusCode() == 201, name, answer);
    }

    private void tus(SplittableRandom random) throws IOException, InterruptedException {
        String name = "tus-" + UUID.randomUUID() + ".bin";
        byte[] body = bytes(random, 2 + random.nextInt(512 * 1024));
        Base64.Encoder b64 = Base64.getEncoder();
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Integer.toString(body.length))
                .header("Upload-Metadata", "folderId " + b64.encodeToString(folderId.getBytes(StandardCharsets.UTF_8))
                        + ",filename " + b64.encodeToString(name.getBytes(StandardCharsets.UTF_8))));
        if (created.statusCode() != 201) {
            throw new IOException("tus create answered " + created.statusCode());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        String path = location.substring(location.indexOf("/api/v1/uploads/"));
        begin(name, TUS, body);
        int half = body.length / 2;
        for (int[] part : new int[][] {{0, half}, {half, body.length}}) {
            HttpResponse<String> patched = send(HttpRequest.newBuilder(uri(path))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body, part[0], part[1] - part[0]))
                    .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Integer.toString(part[0]))
                    .header("Content-Type", "application/offset+octet-stream"));
            if (patched.statusCode() != 204) {
                throw new IOException("tus patch answered " + patched.statusCode());
            }
            if (part[1] == body.length) {
                acknowledgeIf(patched.headers().firstValue("Arca-Item-Id").isPresent(), name, patched);
            }
        }
    }

    private void stow(SplittableRandom random) throws IOException, InterruptedException {
        String uid = "2.25." + new java.math.BigInteger(1, uuidBytes(UUID.randomUUID()));
        byte[] instance = instance(uid, random);
        String boundary = UUID.randomUUID().toString();
        ByteArrayOutputStream body = new ByteArrayOutputStream(instance.length + 200);
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(instance);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        begin(uid, STOW, instance);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/dicom-web/folders/" + folderId + "/studies"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json"));
        acknowledgeIf(answer.statusCode() == 200 && answer.body().contains(uid), uid, answer);
    }

    private void sftpLoop(SplittableRandom random) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        try (ClientSession session = client.connect(login, "127.0.0.1", sftpPort).verify(Duration.ofSeconds(30))
                .getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(Duration.ofSeconds(30));
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                while (!stopped) {
                    String name = "sftp-" + UUID.randomUUID() + ".bin";
                    byte[] body = bytes(random, 1 + random.nextInt(64 * 1024));
                    begin(name, SFTP, body);
                    // The close's answer is the acknowledgement: write() returns only after it.
                    try (OutputStream out = sftp.write("/collections/" + folderName + "/" + name)) {
                        out.write(body);
                    }
                    acknowledged.add(name);
                }
            }
        } finally {
            client.stop();
        }
    }

    private void begin(String name, String surface, byte[] body) {
        sent.put(name, new Sent(surface, sha256(body), body.length));
    }

    private void acknowledgeIf(boolean ok, String name, HttpResponse<String> answer) throws IOException {
        if (!ok) {
            throw new IOException(name + " answered " + answer.statusCode() + ": " + answer.body());
        }
        acknowledged.add(name);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (login + ":" + password).getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static byte[] bytes(SplittableRandom random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A small CT instance with its own UIDs and random pixels, as a modality would send one. */
    private static byte[] instance(String sopInstanceUid, SplittableRandom random) throws IOException {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, SopClass.CT_IMAGE);
        a.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        a.setString(Tag.StudyInstanceUID, VR.UI, sopInstanceUid + ".1");
        a.setString(Tag.SeriesInstanceUID, VR.UI, sopInstanceUid + ".2");
        a.setString(Tag.Modality, VR.CS, "CT");
        a.setString(Tag.PatientName, VR.PN, "Crash^Test");
        a.setString(Tag.PatientID, VR.LO, "CRASH");
        a.setInt(Tag.SamplesPerPixel, VR.US, 1);
        a.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        a.setInt(Tag.Rows, VR.US, 64);
        a.setInt(Tag.Columns, VR.US, 64);
        a.setInt(Tag.BitsAllocated, VR.US, 16);
        a.setInt(Tag.BitsStored, VR.US, 16);
        a.setInt(Tag.HighBit, VR.US, 15);
        a.setInt(Tag.PixelRepresentation, VR.US, 0);
        a.setBytes(Tag.PixelData, VR.OW, bytes(random, 64 * 64 * 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.write(out, a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return out.toByteArray();
    }

    private static byte[] uuidBytes(UUID uuid) {
        return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
