package org.arca.dicom;

/**
 * What {@link DicomReader} returns: the file meta information (empty for a bare dataset), the
 * dataset, the transfer syntax it was encoded in, and whether the reader read it to the end or
 * stopped early at {@link DicomReader.Options#stopAfter()}.
 */
public record DicomFile(Attributes meta, Attributes dataset, TransferSyntax transferSyntax, boolean complete) {
}
