package org.arca.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page, for failures no route sees: a request line or headers too large, bytes that are not HTTP,
 * an address Jetty refuses, a request too slow. It answers the same {@code {"error", "message"}} JSON as every
 * route ({@link HttpErrors#forStatus}), for every method and whatever the client accepts; Jetty's own page is HTML,
 * and empty for methods other than GET, POST and HEAD or an {@code Accept} it cannot serve.
 *
 * <p>Every such answer says {@code Connection: close}. After a request it could not parse Jetty closes the
 * connection anyway, but without saying so, and a keep-alive client then sends its next request into a closed
 * socket; what is left of a refused request on the wire cannot be trusted to frame the next one either.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure) {
            status = failure.getCode();
        }
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        response.setStatus(status);
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(HttpErrors.forStatus(status));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
