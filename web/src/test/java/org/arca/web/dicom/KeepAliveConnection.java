package org.arca.web.dicom;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket, so a test controls how the request's bytes are written
 * (in one write, or cut off) and sees whether the server keeps the connection for the next request.
 */
final class KeepAliveConnection implements AutoCloseable {
    /** A response as read off the connection. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;
    private final String authorization;

    KeepAliveConnection(String base, String login, String password) throws IOException {
        URI uri = URI.create(base);
        this.socket = new Socket(uri.getHost(), uri.getPort());
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.host = uri.getHost() + ":" + uri.getPort();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the whole request, head and body, with one write, and reads the answer. */
    Response post(String path, String contentType, byte[] body) throws IOException {
        byte[] head = head(path, contentType, body.length);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        out.write(request);
        out.flush();
        return response();
    }

    /** Announces {@code body}'s full length, sends only its first {@code sent} bytes, then stops sending. */
    Response postCutOff(String path, String contentType, byte[] body, int sent) throws IOException {
        out.write(head(path, contentType, body.length));
        out.write(body, 0, sent);
        out.flush();
        socket.shutdownOutput();
        return response();
    }

    private byte[] head(String path, String contentType, int length) {
        return ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Response response() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            // Neither length nor chunks: the body ends when the server closes the connection.
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toByteArray());
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
