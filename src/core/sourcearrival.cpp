#include "sourcearrival.h"

#include "mappedfile.h"

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace portolan {

void SourceArrival::fills(void *nodes, void *members, std::size_t room, char *text, std::size_t textRoom)
{
    m_room.store(room, std::memory_order_relaxed);
    m_members.store(static_cast<char *>(members), std::memory_order_relaxed);
    m_textRoom.store(textRoom, std::memory_order_relaxed);
    m_text.store(text, std::memory_order_relaxed);
    m_nodes.store(static_cast<char *>(nodes), std::memory_order_release);
}

void SourceArrival::parseEnded()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_parseEnded.store(true, std::memory_order_release);
    }
    m_changed.notify_all();
}

void SourceArrival::parsedUpTo(qint64 offset)
{
    // At step boundaries, which lie on page boundaries: no page is left half let go.
    const qint64 to = offset & ~(kReleaseStep - 1);
    if (m_mapping && to > m_released) {
        m_mapping->release(m_released, to);
        m_released = to;
    }
}

bool SourceArrival::faultDue()
{
#ifdef MADV_POPULATE_WRITE
    constexpr std::uintptr_t kPage = 4096;
    constexpr std::size_t kEntry = 12;
    // Populating faults pages in as a write would, without writing: what
    // the parser wrote stays, and so does whatever the room holds if an
    // array moved out before the parser's last count said so.
    auto populate = [](const char *begin, const char *end) {
        const std::uintptr_t from = std::uintptr_t(begin) & ~(kPage - 1);
        const std::uintptr_t to = (std::uintptr_t(end) + kPage - 1) & ~(kPage - 1);
        madvise(reinterpret_cast<void *>(from), to - from, MADV_POPULATE_WRITE);
    };
    char *const nodes = m_nodes.load(std::memory_order_acquire);
    if (!nodes)
        return false;  // no JSON parse has started
    char *const members = m_members.load(std::memory_order_relaxed);
    const std::size_t room = m_room.load(std::memory_order_relaxed);
    char *const text = m_text.load(std::memory_order_relaxed);
    const std::size_t textRoom = m_textRoom.load(std::memory_order_relaxed);
    const std::size_t filled = m_filled.load(std::memory_order_relaxed);
    // Past its room an array moves, and the room it leaves is the tree's no
    // more; the text room never moves. In steps of some pages, not one by one.
    const std::size_t target = std::min(filled + kFaultAhead, room);
    const std::size_t textTarget = std::min(m_textFilled.load(std::memory_order_relaxed) + kTextAhead, textRoom);
    const bool arraysDue = filled < room && target >= m_faulted + kFaultAhead / 4;
    const bool textDue = textTarget >= m_textFaulted + kTextAhead / 4;
    if (arraysDue) {
        for (char *array : {nodes, members})
            populate(array + m_faulted * kEntry, array + target * kEntry);
        m_faulted = target;
    }
    if (textDue) {
        populate(text + m_textFaulted, text + textTarget);
        m_textFaulted = textTarget;
    }
    return arraysDue || textDue;
#else
    return false;
#endif
}

void SourceArrival::faultAhead()
{
    // Null for a YAML parse, which reads only once all has arrived.
    while (m_nodes.load(std::memory_order_acquire) && !m_parseEnded.load(std::memory_order_acquire)) {
        if (m_filled.load(std::memory_order_relaxed) >= m_room.load(std::memory_order_relaxed))
            return;  // the arrays moved out of their room
        if (!faultDue()) {
            // Until the parser has gone further, or is done: the parsing
            // thread waits for this one once it is.
            std::unique_lock<std::mutex> lock(m_mutex);
            m_changed.wait_for(lock, std::chrono::microseconds(200), [&] { return m_parseEnded.load(std::memory_order_relaxed); });
        }
    }
}

void SourceArrival::arrived(qint64 count)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_arrived.store(count, std::memory_order_release);
    }
    m_changed.notify_all();
    faultDue();  // between chunks too: the parser follows close behind on a large file
}

void SourceArrival::ended(qint64 count)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_arrived.store(count, std::memory_order_release);
        m_ended = true;
    }
    m_changed.notify_all();
}

qint64 SourceArrival::waitFor(qint64 count) const
{
    const qint64 now = m_arrived.load(std::memory_order_acquire);
    if (now >= count)
        return now;  // the parser's usual case: no lock
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [&] { return m_ended || m_arrived.load(std::memory_order_relaxed) >= count; });
    return m_arrived.load(std::memory_order_relaxed);
}

} // namespace portolan
