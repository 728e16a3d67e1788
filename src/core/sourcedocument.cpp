#include "sourcedocument.h"

#include <algorithm>
#include <iterator>

namespace portolan {

NodeId SourceDocument::anchor(std::string_view name) const
{
    std::call_once(m_anchorsFound, [this] {
        // Containers come after everything inside them, so an object with an
        // `$id` holds the id range [subtreeBegin(object), object].
        std::vector<std::pair<NodeId, NodeId>> resources;
        std::vector<std::pair<std::string_view, NodeId>> anchors;
        const NodeTree &tree = m_tree;
        for (NodeId id = 0; id < tree.nodeCount(); ++id) {
            if (!tree.isObject(id))
                continue;
            for (const Member *m = tree.membersBegin(id); m != tree.membersEnd(id); ++m) {
                const std::string_view key = m->key();
                if (key.empty() || key.front() != '$' || !tree.isString(m->value))
                    continue;
                if (key == "$anchor" || key == "$dynamicAnchor")
                    anchors.emplace_back(tree.text(m->value), id);
                else if (key == "$id" && id != tree.root())
                    resources.emplace_back(tree.subtreeBegin(id), id);
            }
        }
        // Resources nest or lie apart: the outermost ones, in order, cover them all.
        std::sort(resources.begin(), resources.end());
        std::vector<std::pair<NodeId, NodeId>> outermost;
        for (const auto &range : resources) {
            if (outermost.empty() || range.first > outermost.back().second)
                outermost.push_back(range);
            else
                outermost.back().second = std::max(outermost.back().second, range.second);
        }
        for (const auto &[text, object] : anchors) {
            const auto after = std::upper_bound(outermost.begin(), outermost.end(), std::make_pair(object, kNoNode));
            const bool inOtherResource = after != outermost.begin() && object <= std::prev(after)->second;
            if (!inOtherResource)
                m_anchors.emplace(text, object);  // the first of a name counts
        }
    });
    const auto found = m_anchors.find(name);
    return found != m_anchors.end() ? found->second : kNoNode;
}

QString SourceDocument::displayName() const
{
    return m_url.isLocalFile() ? m_url.toLocalFile() : m_url.toString();
}

TextPosition SourceDocument::position(NodeId id) const
{
    if (id == kNoNode)
        return {};
    return positionAt(m_tree.node(id).offset);
}

TextPosition SourceDocument::positionAt(std::uint32_t offset) const
{
    std::string buffer;
    return m_lines.position(offset, [&](std::uint32_t from, std::uint32_t to) { return m_tree.sourceBytes(from, to, buffer); });
}

SourceLocation SourceDocument::location(NodeId id, const QString &pointer) const
{
    const TextPosition pos = position(id);
    return {displayName(), pos.line, pos.column, pointer};
}

} // namespace portolan
