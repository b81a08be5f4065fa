package org.arca.web.dicom;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;
import org.arca.core.TestDatabases;
import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.web.HttpTestClient;
import org.arca.web.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A valid PALETTE COLOR instance renders through its lookup tables. Its 16-bit tables (512 bytes each) are
 * longer than what the web keeps in memory when it reads an instance, so they are read from the stored file.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class PaletteRenderedTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.78.1";

    @Parameter
    TestDatabases.Kind kind;

    static TestServer server;
    static SyntheticInstance instance;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        server = new TestServer(kind);
        server.user("alice");
        HttpTestClient alice = server.as("alice");
        String collection = alice.post("/api/v1/collections", "{\"name\":\"Palettes\"}").json().get("id").asText();
        String folder = alice.post("/api/v1/folders", "{\"parentId\":" + q(collection) + ",\"name\":\"p\"}").json().get("id").asText();
        instance = new SyntheticInstance(STUDY, STUDY + ".1", STUDY + ".1.1", "Hue^Iris", "PAT-P78", "20260505", "US", 1);
        HttpTestClient.Response r = alice.putBytes("/api/v1/folders/" + folder + "/files/palette.dcm",
                TestDicom.part10(palette(instance.dataset()), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), "application/dicom");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    /** 8-bit stored values x + 16 y; red entry v is v, green 255 - v, blue 2v mod 256, as 16-bit entries. */
    static Attributes palette(Attributes ds) {
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "PALETTE COLOR");
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        byte[] pixels = new byte[16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        int[] descriptors = {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
                Tag.BluePaletteColorLookupTableDescriptor};
        int[] data = {Tag.RedPaletteColorLookupTableData, Tag.GreenPaletteColorLookupTableData,
                Tag.BluePaletteColorLookupTableData};
        for (int c = 0; c < 3; c++) {
            ByteBuffer table = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            for (int v = 0; v < 256; v++) {
                table.putShort((short) (entry(c, v) << 8 | 0x7F));
            }
            ds.setInt(descriptors[c], VR.US, 256, 0, 16);
            ds.setBytes(data[c], VR.OW, table.array());
        }
        return ds;
    }

    static int entry(int channel, int v) {
        return switch (channel) {
            case 0 -> v;
            case 1 -> 255 - v;
            default -> v * 2 % 256;
        };
    }

    @Test
    void renderedShowsEachPixelThroughTheStoredTables() throws IOException {
        String path = "/dicom-web/studies/" + STUDY + "/series/" + instance.seriesUid() + "/instances/" + instance.sopUid() + "/rendered";
        HttpTestClient.Response r = server.as("alice").header("Accept", "image/png").get(path);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = x + 16 * y;
                assertThat(img.getRGB(x, y) & 0xFFFFFF).as("pixel %d,%d", x, y)
                        .isEqualTo(entry(0, v) << 16 | entry(1, v) << 8 | entry(2, v));
            }
        }
    }
}
