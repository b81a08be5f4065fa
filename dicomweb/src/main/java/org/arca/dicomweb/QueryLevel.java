package org.arca.dicomweb;

/** The QIDO-RS query levels. */
public enum QueryLevel { STUDY, SERIES, INSTANCE }
