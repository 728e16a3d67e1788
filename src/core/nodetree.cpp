#include "nodetree.h"

namespace portolan {

NodeId NodeTree::member(NodeId object, std::string_view key) const
{
    if (!isObject(object))
        return kNoNode;
    NodeId found = kNoNode;
    for (const Member *m = membersBegin(object), *end = membersEnd(object); m != end; ++m) {
        if (m->key == key)
            found = m->value;
    }
    return found;
}

NodeId NodeTree::element(NodeId array, std::size_t index) const
{
    if (!isArray(array) || index >= m_nodes[array].count)
        return kNoNode;
    return membersBegin(array)[index].value;
}

std::string_view NodeTree::text(NodeId id) const
{
    if (id == kNoNode)
        return {};
    const Node &n = m_nodes[id];
    return (n.kind == NodeKind::Array || n.kind == NodeKind::Object) ? std::string_view() : n.text;
}

bool NodeTree::boolValue(NodeId id, bool fallback) const
{
    if (kind(id) != NodeKind::Bool)
        return fallback;
    return m_nodes[id].text == "true";
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
    n.text = text;
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

std::string_view NodeTree::storeString(std::string &&decoded)
{
    m_decodedStrings.push_back(std::move(decoded));
    return m_decodedStrings.back();
}

void NodeTree::reserve(std::size_t nodes)
{
    m_nodes.reserve(nodes);
    m_members.reserve(nodes);
}

} // namespace portolan
