#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace portolan {

// Texts (views) and a value for each, by open addressing. A large document
// looks up hundreds of thousands of texts: a node-based map took a cache miss
// for the bucket, one for the node before it and one for the node. Here a miss
// for the slot, which holds part of the hash, and one for the entry only when
// that part matches.
template <typename Text, typename Value>
class TextTable {
public:
    void reserve(std::size_t count)
    {
        m_entries.reserve(count);
        while (2 * count > m_slots.size())
            grow();
    }

    // The value of `text`; when the text is new, `make()`'s, and `*added` is set.
    template <typename Make>
    const Value &findOrAdd(Text text, std::size_t hash, Make &&make, bool *added = nullptr)
    {
        makeRoom();
        const std::size_t slot = slotOf(text, hash);
        if (m_slots[slot].entry != 0)
            return m_entries[m_slots[slot].entry - 1].value;
        if (added)
            *added = true;
        return place(slot, text, hash, make());
    }

    // The value of `text`, or null when the table lacks it.
    const Value *find(Text text, std::size_t hash) const
    {
        if (m_slots.empty())
            return nullptr;
        const Slot s = m_slots[slotOf(text, hash)];
        return s.entry != 0 ? &m_entries[s.entry - 1].value : nullptr;
    }

    // Adds `text`, which the table lacks, with `value`.
    const Value &add(Text text, std::size_t hash, Value value)
    {
        makeRoom();
        return place(slotOf(text, hash), text, hash, std::move(value));
    }

private:
    struct Slot {
        std::uint32_t check = 0;  // the high half of the entry's hash
        std::uint32_t entry = 0;  // its index in m_entries plus one; 0 when empty
    };
    struct Entry {
        std::size_t hash;
        Text text;
        Value value;
    };

    // The slot that holds `text`, or the empty one where it would go.
    std::size_t slotOf(Text text, std::size_t hash) const
    {
        const auto check = std::uint32_t(hash >> 32);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
            const Slot s = m_slots[slot];
            if (s.entry == 0 || (s.check == check && m_entries[s.entry - 1].text == text))
                return slot;
        }
    }

    const Value &place(std::size_t slot, Text text, std::size_t hash, Value value)
    {
        m_slots[slot] = {std::uint32_t(hash >> 32), std::uint32_t(m_entries.size() + 1)};
        m_entries.push_back({hash, text, std::move(value)});
        return m_entries.back().value;
    }

    // Room for one entry more.
    void makeRoom()
    {
        if (2 * (m_entries.size() + 1) > m_slots.size())
            grow();
    }

    void grow()
    {
        std::vector<Slot> slots(std::max<std::size_t>(1024, 2 * m_slots.size()));
        const std::size_t mask = slots.size() - 1;
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            std::size_t slot = m_entries[i].hash & mask;
            while (slots[slot].entry != 0)
                slot = (slot + 1) & mask;
            slots[slot] = {std::uint32_t(m_entries[i].hash >> 32), std::uint32_t(i + 1)};
        }
        m_slots = std::move(slots);
    }

    std::vector<Slot> m_slots;  // a power of two, at least twice the entries
    std::vector<Entry> m_entries;
};

} // namespace portolan
