#include "nodetree.h"

#include "hugepages.h"

#include <algorithm>
#include <cstring>

namespace portolan {

namespace {
constexpr std::size_t kBlockSize = 64 * 1024;
}

NodeId NodeTree::member(NodeId object, std::string_view key) const
{
    if (!isObject(object))
        return kNoNode;
    // From the end, so that the first match is the last duplicate and the scan can stop there.
    // Lengths, then first bytes, are compared before memcmp is called: they tell most keys apart.
    const std::size_t size = key.size();
    for (const Member *begin = membersBegin(object), *m = membersEnd(object); m != begin;) {
        --m;
        if (m->key.size() == size && (size == 0 || (m->key[0] == key[0] && std::memcmp(m->key.data(), key.data(), size) == 0)))
            return m->value;
    }
    return kNoNode;
}

NodeId NodeTree::element(NodeId array, std::size_t index) const
{
    if (!isArray(array) || index >= m_nodes[array].count)
        return kNoNode;
    return membersBegin(array)[index].value;
}

// Scalars' `first` and `count`: Null and Bool need no text of their own (a
// Bool's `first` is 1 for true); other scalars' text is `count` bytes at
// source offset `first`, or decoded text number `first` with kDecodedText.
std::string_view NodeTree::text(NodeId id) const
{
    if (id == kNoNode)
        return {};
    const Node &n = m_nodes[id];
    switch (n.kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return n.first ? "true" : "false";
    case NodeKind::Array:
    case NodeKind::Object: return {};
    case NodeKind::Number:
    case NodeKind::String: break;
    }
    if (n.flags & Node::kDecodedText)
        return m_decodedTexts[n.first];
    return std::string_view(m_source.constData() + n.first, n.count);
}

bool NodeTree::boolValue(NodeId id, bool fallback) const
{
    if (kind(id) != NodeKind::Bool)
        return fallback;
    return m_nodes[id].first != 0;
}

NodeId NodeTree::subtreeBegin(NodeId id) const
{
    for (;;) {
        const Node &n = m_nodes[id];
        if ((n.kind != NodeKind::Object && n.kind != NodeKind::Array) || n.count == 0)
            return id;
        id = membersBegin(id)[0].value;
    }
}

NodeId NodeTree::addScalar(NodeKind kind, std::uint32_t offset, std::string_view text)
{
    Node n;
    n.kind = kind;
    n.offset = offset;
    if (kind == NodeKind::Bool) {
        n.first = !text.empty() && (text[0] == 't' || text[0] == 'T');
    } else if (kind != NodeKind::Null) {
        const char *source = m_source.constData();
        if (text.data() >= source && text.data() + text.size() <= source + m_source.size()) {
            n.first = std::uint32_t(text.data() - source);
        } else {
            n.flags = Node::kDecodedText;
            n.first = std::uint32_t(m_decodedTexts.size());
            m_decodedTexts.push_back(text);
        }
        n.count = std::uint32_t(text.size());
    }
    m_nodes.push_back(n);
    return NodeId(m_nodes.size() - 1);
}

NodeId NodeTree::addContainer(NodeKind kind, std::uint32_t offset, const Member *members, std::size_t count)
{
    Node n;
    n.kind = kind;
    n.offset = offset;
    n.first = std::uint32_t(m_members.size());
    n.count = std::uint32_t(count);
    m_members.insert(m_members.end(), members, members + count);
    m_nodes.push_back(n);
    return NodeId(m_nodes.size() - 1);
}

std::string_view NodeTree::storeString(std::string_view decoded)
{
    if (decoded.size() > m_blockLeft) {
        const std::size_t size = std::max(kBlockSize, decoded.size());
        m_blocks.emplace_back(new char[size]);  // not zeroed: untouched pages stay free
        m_blockFree = m_blocks.back().get();
        m_blockLeft = size;
    }
    char *stored = m_blockFree;
    if (!decoded.empty())
        std::memcpy(stored, decoded.data(), decoded.size());
    m_blockFree += decoded.size();
    m_blockLeft -= decoded.size();
    return std::string_view(stored, decoded.size());
}

void NodeTree::reserve(std::size_t nodes)
{
    m_nodes.reserve(nodes);
    m_members.reserve(nodes);
    adviseHugePages(m_nodes.data(), m_nodes.capacity() * sizeof(Node));
    adviseHugePages(m_members.data(), m_members.capacity() * sizeof(Member));
}

} // namespace portolan
