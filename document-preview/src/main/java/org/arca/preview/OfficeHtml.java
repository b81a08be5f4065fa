package org.arca.preview;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.ToXMLContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * An HTML rendering of an office document (DOCX, ODT, RTF, PPTX…) when LibreOffice is not there to make a
 * PDF: Tika's XHTML, cut to a size, then cleaned by the OWASP sanitiser so that only text structure remains
 * (no scripts, styles, links or images a document could smuggle in).
 */
final class OfficeHtml {
    static final int MAX_CHARS = 500_000;
    private static final PolicyFactory STRUCTURE = new HtmlPolicyBuilder()
            .allowElements("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
                    "td", "b", "i", "u", "em", "strong", "br", "div", "span", "pre", "blockquote", "sub", "sup")
            .toFactory();

    private OfficeHtml() {
    }

    static Map<String, Object> render(Path file) throws Exception {
        ToXMLContentHandler xhtml = new ToXMLContentHandler();
        WriteOutContentHandler limited = new WriteOutContentHandler(xhtml, MAX_CHARS);
        boolean truncated = false;
        try (InputStream in = TikaInputStream.get(file)) {
            new AutoDetectParser().parse(in, limited, new Metadata(), new ParseContext());
        } catch (EncryptedDocumentException e) {
            throw new PreviewException("The document is encrypted.");
        } catch (Exception e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                throw new PreviewException("The document could not be read.");
            }
            truncated = true;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "html");
        result.put("html", STRUCTURE.sanitize(xhtml.toString()));
        result.put("truncated", truncated);
        return result;
    }
}
