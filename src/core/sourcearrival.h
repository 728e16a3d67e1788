#pragma once

#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace portolan {

class MappedFile;

// How much of a source has arrived in its buffer while another thread reads
// it in, front to back. The JSON parser starts on the first bytes and waits
// for the rest as it goes: reading Microsoft Graph beta's 47 MB took 25 ms
// and parsing them 45, one after the other, on two cores. The other way, the
// parser tells how far it has filled its tree (see faultAhead()).
class SourceArrival {
public:
    explicit SourceArrival(qint64 expected) : m_expected(expected) {}

    // The reading side: bytes [0, count) are in the buffer.
    void arrived(qint64 count);
    // The reading side, last: no more bytes will come; `count` have.
    void ended(qint64 count);

    // Blocks until `count` bytes have arrived, or the reading has ended;
    // returns how many have (all of them may be fewer than `count`).
    qint64 waitFor(qint64 count) const;
    qint64 waitForEnd() const { return waitFor(m_expected); }
    // After waitForEnd(): whether every expected byte arrived.
    bool complete() const { return m_arrived.load(std::memory_order_acquire) == m_expected; }

    // The JSON parser's side: the node and member arrays it fills, 12-byte
    // entries with room for `room` of each, and the text room of `textRoom`
    // bytes it copies texts into; then how much of each it has filled so far.
    void fills(void *nodes, void *members, std::size_t room, char *text, std::size_t textRoom);
    void filled(std::size_t entries, std::size_t textBytes)
    {
        m_filled.store(entries, std::memory_order_relaxed);
        m_textFilled.store(textBytes, std::memory_order_relaxed);
    }
    // For a source that is `mapping`'s bytes, whose parser copies what its
    // tree needs: the pages the parser has passed are let go as it goes, and
    // the file is never wholly in the process's memory (GitHub's 13 MB
    // description had a peak of 3 times its size with them kept).
    void releaseParsed(const MappedFile *mapping) { m_mapping = mapping; }
    bool releasesParsed() const { return m_mapping != nullptr; }
    // The parser's side: it has passed the bytes before `offset`.
    void parsedUpTo(qint64 offset);
    // Whoever parses, last: the parse is over (and faultAhead() returns at once).
    void parseEnded();
    // The reading side, once it has read all: faults the next pages of the
    // arrays and of the text room in ahead of the parser until the parse is
    // over (and arrived() does, between chunks). A page fault
    // costs microseconds on virtual machines, and the parse runs alone; the
    // reading core is idle meanwhile. Never more than kFaultAhead entries
    // past the parser's, so that little is touched that the tree will not use.
    void faultAhead();

private:
    // The reading side: faults in what faultAhead() should now; false when nothing was due.
    bool faultDue();

    static constexpr std::size_t kFaultAhead = 16 * 1024;  // entries
    static constexpr std::size_t kTextAhead = 256 * 1024;  // bytes
    // Pages are let go in steps this large, a call for each step: the page
    // cache may hold a file in 2 MiB pieces, and the next touch of any part
    // of one maps it in whole again.
    static constexpr qint64 kReleaseStep = 2 << 20;
    const MappedFile *m_mapping = nullptr;  // see releaseParsed()
    qint64 m_released = 0;  // the bytes before it are let go; a multiple of kReleaseStep
    std::atomic<char *> m_nodes{nullptr};
    std::atomic<char *> m_members{nullptr};
    std::atomic<std::size_t> m_room{0};
    std::atomic<std::size_t> m_filled{0};
    std::atomic<char *> m_text{nullptr};
    std::atomic<std::size_t> m_textRoom{0};
    std::atomic<std::size_t> m_textFilled{0};
    std::size_t m_faulted = 0;      // entries of each array, by the reading side
    std::size_t m_textFaulted = 0;  // bytes of the text room, by the reading side
    std::atomic<bool> m_parseEnded{false};
    const qint64 m_expected;
    std::atomic<qint64> m_arrived{0};
    mutable std::mutex m_mutex;  // guards m_ended, and the waits
    mutable std::condition_variable m_changed;
    bool m_ended = false;
};

} // namespace portolan
