#pragma once

#include "exchange.h"
#include "textlines.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace portolan::gui {

enum class BodyKind { Empty, Json, Xml, Html, Image, Text, Binary };

// What the content type (or, without one, the bytes) say a body is.
BodyKind bodyKind(const QByteArray &contentType, const QByteArray &bytes);

// JSON re-indented with two spaces in one pass, without building a document,
// so it stays linear on 50 MB. False (and `out` untouched) when the text is
// not a JSON object or array, or its brackets do not balance.
bool prettyJson(const QByteArray &json, QByteArray *out);
// XML indented; false when it does not parse.
bool prettyXml(const QByteArray &xml, QByteArray *out);

// Everything the body views show, made on a worker thread: the bytes read
// (from memory or the spill file), the pretty and raw lines, the image.
struct RenderedBody {
    BodyKind kind = BodyKind::Empty;
    qint64 size = 0;
    TextLines pretty;  // pretty-printed when JSON/XML, else the raw text
    bool prettified = false;
    TextLines raw;
    TextLines hex;
    QImage image;
    QString html;      // for the HTML preview, capped
};

// The first occurrence of `needle` at or after `from`, ignoring ASCII case,
// wrapping around to the start once; -1 when absent. Linear; for worker threads.
qint64 findText(const QByteArray &haystack, const QByteArray &needle, qint64 from);

// A recorded body's bytes, read from its spill file when it has one. Copies of
// an exchange share that file, so reads are serialized; safe on any thread.
QByteArray readBody(const http::ResponseBody &body);

// `bodyBytes` is the whole body. Pure function; safe on any thread.
RenderedBody renderBody(const QByteArray &bodyBytes, const QByteArray &contentType);

} // namespace portolan::gui
