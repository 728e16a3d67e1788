#pragma once

#include <QByteArray>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace portolan {

class MappedFile;

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

enum class NodeKind : std::uint8_t { Null, Bool, Number, String, Array, Object };

// One parsed JSON or YAML value, in 12 bytes: a 47 MB document holds a
// million and a half of them, and every page they fill is a page fault. A
// scalar's text is found through NodeTree::text(); containers point at a run
// of members.
struct Node {
    Node(NodeKind kind, std::uint32_t offset, std::uint32_t first, std::uint32_t count, std::uint8_t flags = 0)
        : offset(offset), first(first), count(count), flags(flags), kind(kind)
    {
    }

    std::uint32_t offset = 0;  // byte offset of the value in its source
    std::uint32_t first = 0;   // containers: index of the first member; scalars: see NodeTree::text()
    // The kind in the top bits and the count in the low ones: each is then
    // read with one instruction, and the kind is read for nearly every value.
    std::uint32_t count : 27;  // containers: number of members; scalars: length of the text (kMaxCount at most)
    std::uint8_t flags : 2;    // scalars: where the text lies (kDecodedText, kCopiedText); objects: kHoldsRef, kHoldsDataValue
    NodeKind kind : 3;

    static constexpr std::uint32_t kMaxCount = (1u << 27) - 1;
    static constexpr std::uint8_t kDecodedText = 1;  // in the tree's blocks
    static constexpr std::uint8_t kCopiedText = 2;   // in the tree's text room (see NodeTree::reserveText())
    static constexpr std::uint8_t kHoldsRef = 1;  // a "$ref" member, of any kind: see NodeTree::member()
    static constexpr std::uint8_t kHoldsDataValue = 2;  // see NodeTree::ReferenceNotes
};
static_assert(sizeof(Node) == 12, "nodes are the bulk of a large tree");

// An object member, or an array element (with an empty key), in 12 bytes: a
// 47 MB document holds a million and a half of them. The key's text lies in
// the tree's own storage, as a scalar's does; its address and length share 8
// bytes, as user-space addresses take at most 48 bits on the 64-bit systems
// Qt runs on. Made by NodeTree::makeMember().
struct Member {
    Member() = default;

    std::string_view key() const
    {
        const char *data = reinterpret_cast<const char *>(
            std::uintptr_t(m_keyAddressLow | std::uint64_t(m_keyAddressHighAndLength & 0xFFFF) << 32));
        std::uint32_t length = m_keyAddressHighAndLength >> 16;
        if (length == kLongKey)  // stored with its length in front
            std::memcpy(&length, data - sizeof length, sizeof length);
        return std::string_view(data, length);
    }

    // Whether the key is `length` bytes long: scans compare lengths first,
    // and most keys of other lengths are then passed over without unpacking.
    bool keyHasLength(std::size_t length) const
    {
        return length < kLongKey ? m_keyAddressHighAndLength >> 16 == length : key().size() == length;
    }

    NodeId value = kNoNode;

private:
    friend class NodeTree;
    // Keys this long or longer (only hostile documents have them) are stored
    // by the tree with their length in front, the 16 bits holding this mark.
    static constexpr std::uint32_t kLongKey = 0xFFFF;

    Member(const char *keyData, std::uint32_t length, NodeId value);

    std::uint32_t m_keyAddressLow = 0;
    std::uint32_t m_keyAddressHighAndLength = 0;  // address bits 32-47 low, the length (or kLongKey) high
};
static_assert(sizeof(Member) == 12, "members are the bulk of a large tree");

inline Member::Member(const char *keyData, std::uint32_t length, NodeId value)
    : value(value), m_keyAddressLow(std::uint32_t(std::uintptr_t(keyData))),
      m_keyAddressHighAndLength(std::uint32_t(std::uint64_t(std::uintptr_t(keyData)) >> 32) | length << 16)
{
}

// Qt's hash of a text, seeded per process as Qt seeds its own tables: keys
// and $refs come from untrusted documents, and texts made to collide would
// make a table of them quadratic. On long texts it also costs less than std::hash.
struct TextHash {
    std::size_t operator()(std::string_view text) const;
};

// The parsed value tree of one source, stored flat. Text points into the
// source bytes, which the tree keeps alive, or into blocks the tree owns for
// strings that had to be decoded, or into the tree's text room, where the
// JSON parser copies all texts when the source's pages are to go (see
// reserveText()): no value costs a heap allocation of its own.
class NodeTree {
public:
    NodeTree() = default;
    explicit NodeTree(QByteArray source);
    // Members hold views into this tree's own storage: moving keeps them valid, copying would not.
    NodeTree(NodeTree &&) = default;
    NodeTree &operator=(NodeTree &&) = default;
    NodeTree(const NodeTree &) = delete;
    NodeTree &operator=(const NodeTree &) = delete;

    NodeId root() const { return m_root; }
    bool isEmpty() const { return m_root == kNoNode; }
    const Node &node(NodeId id) const { return m_nodes[id]; }
    std::size_t nodeCount() const { return m_nodes.size(); }
    // Copies of it may not own their bytes (see keepSource()): they are valid as long as the tree.
    const QByteArray &source() const { return m_source; }
    // For a source whose QByteArray does not own its bytes: the mapped file
    // that does, kept as long as the tree.
    void keepSource(std::shared_ptr<const MappedFile> mapping) { m_mapping = std::move(mapping); }
    // The source's bytes [from, to), for its readers once the tree is built
    // (a position, a key's offset): a mapped source's are read from its file
    // into `buffer` (see MappedFile::read()), not faulted back in where the
    // JSON parser let them go (see SourceArrival::releaseParsed()).
    std::string_view sourceBytes(std::uint32_t from, std::uint32_t to, std::string &buffer) const;

    const Member *membersBegin(NodeId id) const { return m_members.data() + m_nodes[id].first; }
    const Member *membersEnd(NodeId id) const { return membersBegin(id) + m_nodes[id].count; }

    NodeKind kind(NodeId id) const { return id == kNoNode ? NodeKind::Null : m_nodes[id].kind; }
    bool isObject(NodeId id) const { return id != kNoNode && m_nodes[id].kind == NodeKind::Object; }
    bool isArray(NodeId id) const { return id != kNoNode && m_nodes[id].kind == NodeKind::Array; }
    bool isString(NodeId id) const { return id != kNoNode && m_nodes[id].kind == NodeKind::String; }

    // Value of `key` in an object, or kNoNode. Last one wins, as in most parsers.
    // Large objects are looked up through a key index, others scanned.
    NodeId member(NodeId object, std::string_view key) const;
    NodeId element(NodeId array, std::size_t index) const;
    // Text of a scalar ("true", "false", "null" for those); empty for containers and missing nodes.
    std::string_view text(NodeId id) const;
    bool boolValue(NodeId id, bool fallback) const;
    // Parsers add a container after everything inside it, so a subtree is the
    // id range [subtreeBegin(id), id] and members' ids ascend. (A YAML merge
    // key can leave copies no member reaches inside the range.)
    NodeId subtreeBegin(NodeId id) const;

    // Building (used by the parsers). A scalar's text must lie in the source
    // or come from storeString(); a Bool's text only has to start with t or f.
    NodeId addScalar(NodeKind kind, std::uint32_t offset, std::string_view text);
    // A copy of a scalar, at the same offset and with the same text (for YAML aliases).
    NodeId addScalarCopy(NodeId scalar);
    NodeId addContainer(NodeKind kind, std::uint32_t offset, const Member *members, std::size_t count);
    // A member for addContainer(): `key` (empty for an array element) must lie in the source or come from storeString().
    Member makeMember(std::string_view key, NodeId value)
    {
        return key.size() < Member::kLongKey ? Member(key.data(), std::uint32_t(key.size()), value) : longKeyMember(key, value);
    }
    // Ends building, with `root` as the root.
    void finish(NodeId root);
    // Copies text into the tree, into its text room while that has room;
    // the view stays valid as long as the tree.
    std::string_view storeString(std::string_view text);
    // Room for `bytes` of stored text in one piece, reserved before any is
    // stored. A tree whose texts all lie there reads none in its source once
    // built: a mapped source's pages can then be let go as they are parsed
    // (see SourceArrival::releaseParsed()). Untouched room costs address
    // space only, as with reserve().
    void reserveText(std::size_t bytes);
    // Room for `nodes` values and as many members, estimated from the source's
    // size: the arrays then never move, and the room left unfilled is never
    // touched, so it takes address space, not memory. (Huge pages for them
    // made a load 1.5 to 2.5 times slower on virtual machines whenever free
    // memory had lately been handed back to the host.)
    void reserve(std::size_t nodes);
    // Where the reserved arrays lie (see SourceArrival::faultAhead()).
    void *nodesRoom() { return m_nodes.data(); }
    void *membersRoom() { return m_members.data(); }
    char *textRoom() { return m_textRoom.get(); }
    std::size_t textRoomSize() const { return m_textRoomSize; }
    std::size_t textRoomFilled() const { return m_textRoomUsed; }
    // The offset of the first value too large for a Node (more than
    // Node::kMaxCount members, or a text that long), if one was added: parsers
    // then fail there. Only sources over 128 MiB can hold one.
    std::optional<std::uint32_t> oversizedValue() const { return m_oversizedValue; }

    // What collectReferences() looks for, noted as each object is added, its
    // keys then still in the cache: finding them afterwards read every key of
    // the document again, from memory long out of the cache (11-15 ms on a
    // 47 MB description).
    struct ReferenceNotes {
        std::vector<std::pair<NodeId, NodeId>> refs;  // an object and its (last) "$ref" member's value, a string; ids ascend
        // A container an object holds under "example", "default", "enum",
        // "const", "value" or "dataValue", as the id range of its subtree
        // (found while the subtree is still in the cache).
        struct DataValue {
            NodeId holder;
            NodeId begin;
            NodeId end;
        };
        std::vector<DataValue> dataValues;
        // Objects whose keys are names ("properties", "responses", the
        // components' maps…) and that hold a data value: in them "default"
        // or "example" is a name, as in `responses: {default: {$ref: …}}`, not data.
        std::vector<NodeId> nameMaps;
    };
    // Hands the notes over, leaving none (see collectReferences()).
    ReferenceNotes takeReferenceNotes() { return std::exchange(m_referenceNotes, {}); }
    // False when every "$ref" string is empty or starts with '#' (data values
    // included): the loader then looks for no other document, where reading
    // each $ref's text again cost 5 ms of a large description's load.
    bool mayReferenceOtherDocuments() const { return m_mayReferenceOthers; }

    // False only when no object inside `id`'s value has an "example" or
    // "examples" member: the example check then skips it, where most schemas
    // of a large description have none. Noted as objects are added.
    bool mayHoldExample(NodeId id) const;

    // Objects with this many members get a key index when they are added:
    // paths and schemas of large APIs are looked up one name at a time, by
    // the model's builder, the $ref resolver and the validator alike.
    static constexpr std::uint32_t kIndexedMembers = 32;

private:
    // Open addressing: a slot holds the position of a member in its object
    // plus one, or 0 when empty. A power of two, at least twice the members.
    using KeyIndex = std::vector<std::uint32_t>;
    // `count` as a Node holds it: past Node::kMaxCount, the value at `offset` is too large (see oversizedValue()).
    std::uint32_t countOf(std::size_t count, std::uint32_t offset)
    {
        return count <= Node::kMaxCount ? std::uint32_t(count) : oversized(offset);
    }
    std::uint32_t oversized(std::uint32_t offset);
    Member longKeyMember(std::string_view key, NodeId value);
    char *allocateText(std::size_t size);
    void indexKeys(NodeId object);
    void noteReferences(NodeId object);
    void placeDataHolders(NodeId container);
    NodeId indexedMember(NodeId object, std::string_view key) const;

    QByteArray m_source;
    std::shared_ptr<const MappedFile> m_mapping;  // see keepSource()
    std::vector<Node> m_nodes;
    std::vector<Member> m_members;
    std::unique_ptr<char[]> m_textRoom;  // what copied scalars' `first` is an offset into
    std::size_t m_textRoomSize = 0;
    std::size_t m_textRoomUsed = 0;
    std::vector<std::string_view> m_decodedTexts;  // what decoded scalars' `first` indexes
    std::vector<std::unique_ptr<char[]>> m_blocks;  // storeString's storage past the text room; blocks never move
    char *m_blockFree = nullptr;
    std::size_t m_blockLeft = 0;
    NodeId m_root = kNoNode;
    std::unordered_map<NodeId, KeyIndex> m_keyIndexes;  // of the objects with kIndexedMembers or more
    ReferenceNotes m_referenceNotes;
    std::vector<NodeId> m_exampleHolders;  // objects with an "example" or "examples" member; ids ascend
    std::optional<std::uint32_t> m_oversizedValue;
    std::size_t m_unplacedDataHolders = 0;  // objects with kHoldsDataValue whose container is yet to come
    bool m_mayReferenceOthers = false;
};

// The values of several keys of one object, found in one pass over its
// members; kNoNode for those it lacks, and for all when it is no object. As
// with member(), a later duplicate key wins. For readers of objects with many
// optional fields, which a member() look-up per field scanned in full for each.
template <const auto &Keys>
class MemberValues {
public:
    MemberValues(const NodeTree &tree, NodeId object)
    {
        m_values.fill(kNoNode);
        if (!tree.isObject(object))
            return;
        // Objects this large have a key index: one look-up per key is cheaper there.
        if (tree.node(object).count >= NodeTree::kIndexedMembers) {
            for (std::size_t i = 0; i < N; ++i)
                m_values[i] = tree.member(object, Keys[i]);
            return;
        }
        for (const Member *m = tree.membersBegin(object); m != tree.membersEnd(object); ++m) {
            // Lengths first: they pass over extensions (x-…) at once, and tell most keys apart
            // without a call to compare bytes.
            const std::string_view key = m->key();
            if (key.size() >= 64 || !(kLengths & std::uint64_t(1) << key.size()))
                continue;
            for (std::size_t i = 0; i < N; ++i) {
                // The first byte before the call to compare: keys of one length
                // (name, type, enum…) differ there.
                if (key.size() == Keys[i].size() && key[0] == Keys[i][0] && key == Keys[i]) {
                    m_values[i] = m->value;
                    break;
                }
            }
        }
    }
    NodeId operator[](std::size_t i) const { return m_values[i]; }

private:
    static constexpr std::size_t N = Keys.size();
    // Bit n is set when a key is n bytes long.
    static constexpr std::uint64_t kLengths = [] {
        std::uint64_t lengths = 0;
        for (const std::string_view key : Keys)
            lengths |= std::uint64_t(1) << key.size();
        return lengths;
    }();
    static_assert(!(kLengths & 1), "no key is empty: the scan reads their first byte");
    std::array<NodeId, N> m_values;
};

} // namespace portolan
