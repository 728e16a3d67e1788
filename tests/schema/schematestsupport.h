#pragma once

#include "nodetree.h"
#include "parser.h"
#include "sourcedocument.h"

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace portolan::test {

// Writes a node back as JSON text, numbers exactly as they were written.
inline void writeJson(const NodeTree &tree, NodeId id, QByteArray &out)
{
    auto string = [&out](std::string_view s) {
        out += '"';
        for (char c : s) {
            const unsigned char u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (u < 0x20) {
                out += "\\u00";
                out += QByteArray::number(u, 16).rightJustified(2, '0');
            } else {
                out += c;
            }
        }
        out += '"';
    };
    switch (tree.kind(id)) {
    case NodeKind::Null: out += "null"; return;
    case NodeKind::Bool:
    case NodeKind::Number: out += QByteArray(tree.text(id).data(), qsizetype(tree.text(id).size())); return;
    case NodeKind::String: string(tree.text(id)); return;
    case NodeKind::Array:
    case NodeKind::Object: {
        const bool object = tree.isObject(id);
        out += object ? '{' : '[';
        for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m) {
            if (m != tree.membersBegin(id))
                out += ',';
            if (object) {
                string(m->key());
                out += ':';
            }
            writeJson(tree, m->value, out);
        }
        out += object ? '}' : ']';
        return;
    }
    }
}

// A C string as a JSON string literal.
inline QByteArray jsonString(const char *text)
{
    QByteArray out = "\"";
    for (const char *p = text; *p; ++p) {
        if (*p == '"' || *p == '\\')
            out += '\\';
        out += *p;
    }
    return out + '"';
}

inline std::unique_ptr<SourceDocument> parseDocument(const QUrl &url, const QByteArray &bytes)
{
    ParseResult parsed = parseJsonOrYaml(bytes);
    if (parsed.error)
        return nullptr;
    return std::make_unique<SourceDocument>(url, std::move(parsed.tree), parsed.format);
}

// Fetches a URL synchronously (tests only: the loopback server runs on this
// thread's event loop, which the wait keeps turning).
inline QByteArray fetch(QNetworkAccessManager &network, const QUrl &url, QString *error)
{
    QNetworkReply *reply = network.get(QNetworkRequest(url));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    loop.exec();
    QByteArray body;
    if (!reply->isFinished() || reply->error() != QNetworkReply::NoError)
        *error = QStringLiteral("%1: %2").arg(url.toString(), reply->isFinished() ? reply->errorString() : QStringLiteral("timed out"));
    else
        body = reply->readAll();
    reply->deleteLater();
    return body;
}

} // namespace portolan::test
