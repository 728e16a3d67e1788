#pragma once

#include "diagnostic.h"
#include "nodetree.h"
#include "parser.h"
#include "referencescan.h"
#include "sourcetext.h"

#include <QUrl>

#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace portolan {

// One parsed file or URL of an OpenAPI description: the root document or a
// document reached through an external $ref.
class SourceDocument {
public:
    // `lines`: the source's line checkpoints, when they were counted as it was read (see LineCounter).
    SourceDocument(QUrl url, NodeTree tree, SourceFormat format, std::vector<LineIndex::Checkpoint> lines = {})
        : m_url(std::move(url)), m_lines(tree.source(), std::move(lines)), m_tree(std::move(tree)), m_format(format),
          m_references(collectReferences(m_tree)) {}

    const QUrl &url() const { return m_url; }
    // A local path for files, the URL otherwise: what diagnostics print.
    QString displayName() const;
    const NodeTree &tree() const { return m_tree; }
    SourceFormat format() const { return m_format; }
    // Every $ref in the document, found once when it is loaded.
    const std::vector<ReferenceSite> &references() const { return m_references; }
    // The object whose `$anchor` or `$dynamicAnchor` is `name` (as a `$ref` to
    // "#name" names it), or kNoNode. Only the document's own anchors count:
    // one inside an object with an `$id` of its own belongs to that resource.
    // The anchors are found on the first call, as few documents have any.
    NodeId anchor(std::string_view name) const;
    // Counted in the source as the tree reads it (see NodeTree::sourceBytes()).
    TextPosition position(NodeId id) const;
    TextPosition positionAt(std::uint32_t offset) const;
    SourceLocation location(NodeId id, const QString &pointer) const;

private:
    QUrl m_url;
    LineIndex m_lines;
    NodeTree m_tree;
    SourceFormat m_format;
    std::vector<ReferenceSite> m_references;
    mutable std::once_flag m_anchorsFound;
    mutable std::unordered_map<std::string_view, NodeId, TextHash> m_anchors;
};

// A value inside one of the loaded documents. Valid while the ApiDocument that
// owns the documents lives.
struct NodeRef {
    const SourceDocument *document = nullptr;
    NodeId id = kNoNode;

    bool isValid() const { return document && id != kNoNode; }
    const NodeTree &tree() const { return document->tree(); }
    NodeKind kind() const { return isValid() ? tree().kind(id) : NodeKind::Null; }
    NodeRef member(std::string_view key) const { return {document, isValid() ? tree().member(id, key) : kNoNode}; }
    std::string_view text() const { return isValid() ? tree().text(id) : std::string_view(); }
    QString string() const { const auto t = text(); return QString::fromUtf8(t.data(), qsizetype(t.size())); }
    bool operator==(const NodeRef &o) const { return document == o.document && id == o.id; }
    bool operator!=(const NodeRef &o) const { return !(*this == o); }
};

using SourceDocuments = std::vector<std::unique_ptr<SourceDocument>>;

} // namespace portolan
