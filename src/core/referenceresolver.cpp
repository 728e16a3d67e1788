#include "referenceresolver.h"

#include "jsonpointer.h"

#include <QSet>

namespace portolan {

ReferenceResolver::ReferenceResolver(const SourceDocuments &documents)
{
    for (const auto &doc : documents)
        m_documents.insert(doc->url(), doc.get());
}

QUrl ReferenceResolver::targetUrl(const SourceDocument &from, std::string_view ref)
{
    const QString text = QString::fromUtf8(ref.data(), qsizetype(ref.size()));
    if (text.startsWith(QLatin1Char('#'))) {
        QUrl url = from.url();
        url.setFragment(text.mid(1), QUrl::TolerantMode);
        return url;
    }
    // File names with spaces, brackets or other characters a strict URI would
    // need escaped are common in hand-written specs: parse tolerantly.
    const QUrl relative(text, QUrl::TolerantMode);
    return from.url().resolved(relative);
}

const SourceDocument *ReferenceResolver::document(const QUrl &documentUrl) const
{
    return m_documents.value(documentUrl.adjusted(QUrl::RemoveFragment), nullptr);
}

bool ReferenceResolver::isReference(NodeRef node)
{
    return node.isValid() && node.tree().isString(node.tree().member(node.id, "$ref"));
}

NodeRef ReferenceResolver::follow(NodeRef refObject, QString *error) const
{
    const NodeRef ref = refObject.member("$ref");
    if (ref.kind() != NodeKind::String) {
        if (error)
            *error = QStringLiteral("$ref must be a string");
        return {};
    }
    const QUrl target = targetUrl(*refObject.document, ref.text());
    const SourceDocument *doc = document(target);
    if (!doc) {
        if (error)
            *error = QStringLiteral("cannot resolve $ref '%1': %2 was not loaded").arg(ref.string(), target.adjusted(QUrl::RemoveFragment).toDisplayString());
        return {};
    }
    const QByteArray fragment = target.fragment(QUrl::FullyEncoded).toUtf8();
    const auto tokens = jsonpointer::splitFragment(std::string_view(fragment.constData(), std::size_t(fragment.size())));
    if (!tokens) {
        if (error)
            *error = QStringLiteral("cannot resolve $ref '%1': the fragment is not a JSON pointer").arg(ref.string());
        return {};
    }
    const NodeId id = jsonpointer::resolve(doc->tree(), doc->tree().root(), *tokens);
    if (id == kNoNode) {
        if (error)
            *error = QStringLiteral("cannot resolve $ref '%1': no such value in %2").arg(ref.string(), doc->displayName());
        return {};
    }
    return {doc, id};
}

NodeRef ReferenceResolver::resolve(NodeRef node, QString *error) const
{
    QSet<QPair<const SourceDocument *, NodeId>> seen;
    while (isReference(node)) {
        if (seen.contains({node.document, node.id})) {
            if (error)
                *error = QStringLiteral("circular $ref chain: it refers back to itself without reaching a value");
            return {};
        }
        seen.insert({node.document, node.id});
        node = follow(node, error);
    }
    return node;
}

} // namespace portolan
