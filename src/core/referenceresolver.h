#pragma once

#include "sourcedocument.h"

#include <QHash>
#include <QString>
#include <QUrl>

#include <unordered_map>

namespace portolan {

// Follows $ref values between the loaded documents of one description.
// It caches what it resolved, so one resolver serves one thread.
class ReferenceResolver {
public:
    explicit ReferenceResolver(const SourceDocuments &documents);

    // The absolute URL (document URL plus fragment) a $ref string names,
    // relative to the document it stands in.
    static QUrl targetUrl(const SourceDocument &from, std::string_view ref);
    const SourceDocument *document(const QUrl &documentUrl) const;

    // One step: the node a `{"$ref": …}` object points to. On failure returns
    // an invalid NodeRef and, when `error` is given, says why.
    NodeRef follow(NodeRef refObject, QString *error = nullptr) const;
    // The same step for a $ref text already read from an object of `from`.
    NodeRef follow(const SourceDocument *from, std::string_view ref, QString *error = nullptr) const;
    // Follows $ref chains to the first node that is not a reference; an
    // invalid NodeRef for a broken or circular chain. Non-references pass through.
    NodeRef resolve(NodeRef node, QString *error = nullptr) const;
    static bool isReference(NodeRef node);

private:
    NodeRef lookUp(const SourceDocument *from, std::string_view ref, QString *error) const;

    QHash<QUrl, const SourceDocument *> m_documents;
    struct Resolution {
        NodeRef target;
        QString error;
    };
    // Keyed by referring document and $ref text: specs repeat the same $ref thousands of times.
    mutable std::unordered_map<const SourceDocument *, std::unordered_map<std::string_view, Resolution, TextHash>> m_resolved;
};

} // namespace portolan
