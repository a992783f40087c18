package dev.consentry.leak;

/** A decoder of a text encoding (percent, JSON escapes, base64, hex): meaningless inside binary data. */
interface TextDecoder extends Decoder {
}
