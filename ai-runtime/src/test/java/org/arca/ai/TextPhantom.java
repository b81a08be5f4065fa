package org.arca.ai;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;

/**
 * Synthetic 8-bit secondary captures for the reference text detector's test and benchmark: a grey disc on a dark
 * field (as an ultrasound sector or a phantom looks), optionally with a name, a date and an ID burned into the
 * pixels in the top-left band (y from about 40 to 110 at 320 × 240, scaled with the image). No patient data.
 */
public final class TextPhantom {
    private TextPhantom() {
    }

    public static BufferedImage image(int width, int height, boolean text) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        double s = width / 320.0;
        g.setColor(new Color(12, 12, 12));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(120, 120, 120));
        g.fillOval((int) (180 * s), (int) (120 * s), (int) (90 * s), (int) (90 * s));
        if (text) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.round(22 * s)));
            g.drawString("DOE^JOHN", (int) (20 * s), (int) (65 * s));
            g.drawString("1961-02-03  ID 4711", (int) (20 * s), (int) (100 * s));
        }
        g.dispose();
        return img;
    }

    /** A Part 10 secondary capture (modality OT) of {@code img} in the given study and series. */
    public static byte[] dicom(BufferedImage img, String study, String series, String sop, int instanceNumber) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, "Phantom^Text");
        ds.setString(Tag.PatientID, VR.LO, "T-1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(instanceNumber));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, img.getHeight());
        ds.setInt(Tag.Columns, VR.US, img.getWidth());
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OB, ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomWriter.write(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
