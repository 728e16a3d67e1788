#include "nodetree.h"

#include "mappedfile.h"

#include <QHashFunctions>

#include <algorithm>
#include <cstring>

namespace portolan {

namespace {

constexpr std::size_t kBlockSize = 64 * 1024;

// Members keep keys' addresses in 48 bits (see Member). Every key lies in
// the source, the text room or the tree's blocks: checking those covers them all.
void expectKeyAddresses(const char *begin, std::size_t size)
{
    if (std::uint64_t(std::uintptr_t(begin) + size) >> 48)
        qFatal("NodeTree: memory at addresses beyond 48 bits, which Member cannot hold");
}

} // namespace

NodeTree::NodeTree(QByteArray source) : m_source(std::move(source))
{
    expectKeyAddresses(m_source.constData(), std::size_t(m_source.size()));
}

std::size_t TextHash::operator()(std::string_view text) const
{
    return qHash(QByteArrayView(text.data(), qsizetype(text.size())), QHashSeed::globalSeed());
}

NodeId NodeTree::member(NodeId object, std::string_view key) const
{
    if (!isObject(object))
        return kNoNode;
    // "$ref" is looked for in every object a reader or validator meets, and
    // few have one: the object knows, without a scan.
    if (key.size() == 4 && key == "$ref" && !(m_nodes[object].flags & Node::kHoldsRef))
        return kNoNode;
    if (m_nodes[object].count >= kIndexedMembers)
        return indexedMember(object, key);
    // From the end, so that the first match is the last duplicate and the scan can stop there.
    // Lengths tell most keys apart; the bytes of short keys are compared here,
    // without calls: the scan then needs no registers saved.
    const std::size_t size = key.size();
    for (const Member *begin = membersBegin(object), *m = membersEnd(object); m != begin;) {
        --m;
        if (!m->keyHasLength(size))
            continue;
        const char *text = m->key().data();
        std::size_t i = 0;
        while (i < size && text[i] == key[i])
            ++i;
        if (i == size)
            return m->value;
    }
    return kNoNode;
}

// Out of line: the scan above, which most lookups take, then needs no registers saved.
Q_NEVER_INLINE NodeId NodeTree::indexedMember(NodeId object, std::string_view key) const
{
    const Node &n = m_nodes[object];
    const KeyIndex &index = m_keyIndexes.find(object)->second;
    const std::size_t mask = index.size() - 1;
    for (std::size_t slot = TextHash()(key) & mask;; slot = (slot + 1) & mask) {
        if (index[slot] == 0)
            return kNoNode;
        const Member &m = m_members[n.first + index[slot] - 1];
        if (m.key() == key)
            return m.value;
    }
}

std::string_view NodeTree::sourceBytes(std::uint32_t from, std::uint32_t to, std::string &buffer) const
{
    to = std::min<std::uint32_t>(to, std::uint32_t(m_source.size()));
    from = std::min(from, to);
    if (!m_mapping)
        return std::string_view(m_source.constData() + from, to - from);
    buffer.resize(to - from);
    buffer.resize(std::size_t(m_mapping->read(from, to - from, buffer.data())));
    return buffer;
}

NodeId NodeTree::element(NodeId array, std::size_t index) const
{
    if (!isArray(array) || index >= m_nodes[array].count)
        return kNoNode;
    return membersBegin(array)[index].value;
}

// Scalars' `first` and `count`: Null and Bool need no text of their own (a
// Bool's `first` is 1 for true); other scalars' text is `count` bytes at
// source offset `first`, at text room offset `first` with kCopiedText, or
// decoded text number `first` with kDecodedText.
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
    if (n.flags & Node::kCopiedText)
        return std::string_view(m_textRoom.get() + n.first, n.count);
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

std::uint32_t NodeTree::oversized(std::uint32_t offset)
{
    if (!m_oversizedValue)
        m_oversizedValue = offset;
    return Node::kMaxCount;
}

NodeId NodeTree::addScalar(NodeKind kind, std::uint32_t offset, std::string_view text)
{
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    std::uint8_t flags = 0;
    if (kind == NodeKind::Bool) {
        first = !text.empty() && (text[0] == 't' || text[0] == 'T');
    } else if (kind != NodeKind::Null) {
        const char *source = m_source.constData();
        const char *room = m_textRoom.get();
        if (room && text.data() >= room && text.data() + text.size() <= room + m_textRoomUsed) {
            flags = Node::kCopiedText;
            first = std::uint32_t(text.data() - room);
        } else if (text.data() >= source && text.data() + text.size() <= source + m_source.size()) {
            first = std::uint32_t(text.data() - source);
        } else {
            flags = Node::kDecodedText;
            first = std::uint32_t(m_decodedTexts.size());
            m_decodedTexts.push_back(text);
        }
        count = countOf(text.size(), offset);
    }
    m_nodes.emplace_back(kind, offset, first, count, flags);
    return NodeId(m_nodes.size() - 1);
}

NodeId NodeTree::addScalarCopy(NodeId scalar)
{
    const Node copy = m_nodes[scalar];  // not a reference: emplacing may move the nodes
    m_nodes.push_back(copy);
    return NodeId(m_nodes.size() - 1);
}

NodeId NodeTree::addContainer(NodeKind kind, std::uint32_t offset, const Member *members, std::size_t count)
{
    m_nodes.emplace_back(kind, offset, std::uint32_t(m_members.size()), countOf(count, offset));
    m_members.insert(m_members.end(), members, members + count);
    const NodeId id = NodeId(m_nodes.size() - 1);
    if (m_unplacedDataHolders > 0)
        placeDataHolders(id);
    if (kind == NodeKind::Object) {
        noteReferences(id);
        if (count >= kIndexedMembers)
            indexKeys(id);
    }
    return id;
}

namespace {

// Keys of the JSON Schema and OpenAPI maps from names to objects.
bool isNameMapKey(std::string_view key)
{
    static constexpr std::string_view keys[] = {
        "properties", "patternProperties", "dependentSchemas", "definitions", "$defs",  // JSON Schema
        "responses", "schemas", "parameters", "examples", "requestBodies", "headers", "securitySchemes",
        "links", "callbacks", "pathItems", "mediaTypes", "content", "encoding", "webhooks", "securityDefinitions"};
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

} // namespace

void NodeTree::noteReferences(NodeId object)
{
    NodeId ref = kNoNode;
    bool holdsDataValue = false;
    bool holdsExample = false;
    for (const Member *m = membersBegin(object), *end = membersEnd(object); m != end; ++m) {
        const std::string_view key = m->key();
        // Lengths rule out most keys: "$ref" and "enum" have 4 bytes, "const"
        // and "value" 5, "example" and "default" 7, "examples" 8, "dataValue" 9.
        if (key.size() == 8) {
            holdsExample = holdsExample || key == "examples";
        } else if (key.size() == 4 || key.size() == 5 || key.size() == 7 || key.size() == 9) {
            if (key == "$ref") {
                ref = m->value;  // the last one counts, as in member()
                continue;
            }
            const bool example = key == "example";
            holdsExample = holdsExample || example;
            if ((example || key == "default" || key == "enum" || key == "const" || key == "value" || key == "dataValue")
                && (kind(m->value) == NodeKind::Object || kind(m->value) == NodeKind::Array)) {
                m_referenceNotes.dataValues.push_back({object, subtreeBegin(m->value), m->value});
                holdsDataValue = true;
            }
        }
    }
    if (holdsDataValue) {
        m_nodes[object].flags |= Node::kHoldsDataValue;
        ++m_unplacedDataHolders;
    }
    if (ref != kNoNode)
        m_nodes[object].flags |= Node::kHoldsRef;
    if (ref != kNoNode && kind(ref) == NodeKind::String) {
        m_referenceNotes.refs.emplace_back(object, ref);
        const std::string_view target = text(ref);
        m_mayReferenceOthers = m_mayReferenceOthers || (!target.empty() && target.front() != '#');
    }
    if (holdsExample)
        m_exampleHolders.push_back(object);
}

bool NodeTree::mayHoldExample(NodeId id) const
{
    // The subtree is the id range [subtreeBegin(id), id]: is a holder in it?
    const auto holder = std::lower_bound(m_exampleHolders.begin(), m_exampleHolders.end(), subtreeBegin(id));
    return holder != m_exampleHolders.end() && *holder <= id;
}

// Whether the objects holding a data value sit in a name map is known when
// their container is added. Few objects hold one, so only the containers
// added while one waits look at their members. (An object reached again
// through a YAML alias is placed by its first container.)
void NodeTree::placeDataHolders(NodeId container)
{
    const bool object = m_nodes[container].kind == NodeKind::Object;
    for (const Member *m = membersBegin(container), *end = membersEnd(container); m != end && m_unplacedDataHolders > 0; ++m) {
        const Node &value = m_nodes[m->value];
        if (value.kind != NodeKind::Object || !(value.flags & Node::kHoldsDataValue))  // a scalar's flags tell where its text is
            continue;
        --m_unplacedDataHolders;
        if (object && isNameMapKey(m->key()))
            m_referenceNotes.nameMaps.push_back(m->value);
    }
}

void NodeTree::indexKeys(NodeId object)
{
    const Node &n = m_nodes[object];
    std::size_t size = 1;
    while (size < 2 * std::size_t(n.count))
        size *= 2;
    KeyIndex &index = m_keyIndexes[object];
    index.assign(size, 0);
    const Member *members = m_members.data() + n.first;
    for (std::uint32_t i = 0; i < n.count; ++i) {
        for (std::size_t slot = TextHash()(members[i].key()) & (size - 1);; slot = (slot + 1) & (size - 1)) {
            // A duplicate takes over its earlier namesake's slot: the last one wins, as in the scan.
            if (index[slot] == 0 || members[index[slot] - 1].key() == members[i].key()) {
                index[slot] = i + 1;
                break;
            }
        }
    }
}

char *NodeTree::allocateText(std::size_t size)
{
    if (size > m_blockLeft) {
        const std::size_t blockSize = std::max(kBlockSize, size);
        m_blocks.emplace_back(new char[blockSize]);  // not zeroed: untouched pages stay free
        m_blockFree = m_blocks.back().get();
        m_blockLeft = blockSize;
        expectKeyAddresses(m_blockFree, blockSize);
    }
    char *text = m_blockFree;
    m_blockFree += size;
    m_blockLeft -= size;
    return text;
}

std::string_view NodeTree::storeString(std::string_view text)
{
    char *stored;
    if (text.size() <= m_textRoomSize - m_textRoomUsed) {
        stored = m_textRoom.get() + m_textRoomUsed;
        m_textRoomUsed += text.size();
    } else {
        stored = allocateText(text.size());
    }
    if (!text.empty())
        std::memcpy(stored, text.data(), text.size());
    return std::string_view(stored, text.size());
}

void NodeTree::reserveText(std::size_t bytes)
{
    if (m_textRoom || bytes == 0)
        return;  // texts in the room it has stay there
    // Not zeroed: pages never written stay free. Offsets into it are 32 bits.
    m_textRoomSize = std::min<std::size_t>(bytes, UINT32_MAX);
    m_textRoom.reset(new char[m_textRoomSize]);
    expectKeyAddresses(m_textRoom.get(), m_textRoomSize);
}

Member NodeTree::longKeyMember(std::string_view key, NodeId value)
{
    // Sources are far below 4 GiB (see Node), and so are their keys.
    const std::uint32_t length = std::uint32_t(key.size());
    char *stored = allocateText(sizeof length + key.size());
    std::memcpy(stored, &length, sizeof length);
    std::memcpy(stored + sizeof length, key.data(), key.size());
    return Member(stored + sizeof length, Member::kLongKey, value);
}

void NodeTree::finish(NodeId root)
{
    m_root = root;
}

void NodeTree::reserve(std::size_t nodes)
{
    m_nodes.reserve(nodes);
    m_members.reserve(nodes);
}

} // namespace portolan
