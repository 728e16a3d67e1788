#include "referenceresolver.h"

#include "jsonpointer.h"

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
    return follow(refObject.document, ref.text(), error);
}

NodeRef ReferenceResolver::follow(const SourceDocument *from, std::string_view ref, QString *error) const
{
    auto &cache = m_resolved[from];
    auto found = cache.find(ref);
    if (found == cache.end()) {
        Resolution resolution;
        resolution.target = lookUp(from, ref, &resolution.error);
        found = cache.emplace(ref, std::move(resolution)).first;
    }
    if (error)
        *error = found->second.error;
    return found->second.target;
}

NodeRef ReferenceResolver::lookUp(const SourceDocument *from, std::string_view refText, QString *error) const
{
    const QString text = QString::fromUtf8(refText.data(), qsizetype(refText.size()));
    const SourceDocument *doc = from;
    QByteArray external;
    std::string_view fragment;
    if (!refText.empty() && refText.front() == '#') {
        // Most references stay in their document: no URL to resolve. The
        // fragment is percent-decoded below, as QUrl would hand it over.
        fragment = refText.substr(1);
    } else {
        const QUrl target = targetUrl(*from, refText);
        doc = document(target);
        if (!doc) {
            *error = QStringLiteral("cannot resolve $ref '%1': %2 was not loaded").arg(text, target.adjusted(QUrl::RemoveFragment).toDisplayString());
            return {};
        }
        external = target.fragment(QUrl::FullyEncoded).toUtf8();
        fragment = std::string_view(external.constData(), std::size_t(external.size()));
    }
    if (!fragment.empty() && fragment.front() != '/') {
        // A plain name: a schema's $anchor (OpenAPI 3.1, JSON Schema 2019-09 on).
        const QByteArray name = QByteArray::fromPercentEncoding(QByteArray(fragment.data(), qsizetype(fragment.size())));
        const NodeId id = doc->anchor(std::string_view(name.constData(), std::size_t(name.size())));
        if (id == kNoNode) {
            *error = QStringLiteral("cannot resolve $ref '%1': %2 has no $anchor '%3'").arg(text, doc->displayName(), QString::fromUtf8(name));
            return {};
        }
        return {doc, id};
    }
    const auto tokens = jsonpointer::splitFragment(fragment);
    if (!tokens) {
        *error = QStringLiteral("cannot resolve $ref '%1': the fragment is not a JSON pointer").arg(text);
        return {};
    }
    const NodeTree &tree = doc->tree();
    NodeId id = tree.root();
    for (const std::string &token : *tokens) {
        id = tree.isObject(id) ? tree.member(id, token) : jsonpointer::resolve(tree, id, {token});
        if (id == kNoNode) {
            *error = QStringLiteral("cannot resolve $ref '%1': no such value in %2").arg(text, doc->displayName());
            return {};
        }
    }
    return {doc, id};
}

NodeRef ReferenceResolver::resolve(NodeRef node, QString *error) const
{
    // A cycle is found without noting every step (Brent's method): a mark
    // moves to where the chain is after 1, 2, 4, 8… steps, and a chain that
    // comes back to its mark is circular. Most chains are a step long, and a
    // set of the steps seen cost an allocation each.
    NodeRef mark = node;
    std::size_t steps = 0;
    std::size_t nextMark = 1;
    while (isReference(node)) {
        node = follow(node, error);
        if (node == mark) {
            if (error)
                *error = QStringLiteral("circular $ref chain: it refers back to itself without reaching a value");
            return {};
        }
        if (++steps == nextMark) {
            mark = node;
            nextMark *= 2;
        }
    }
    return node;
}

} // namespace portolan
