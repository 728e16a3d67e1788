#include "sourcearrival.h"

namespace portolan {

void SourceArrival::arrived(qint64 count)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_arrived.store(count, std::memory_order_release);
    }
    m_changed.notify_all();
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
