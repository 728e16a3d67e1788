#pragma once

#include <QtGlobal>

namespace portolan::test {

// A port on 127.0.0.1 where connections are refused, for as long as this
// object lives: a TCP socket is bound to it (the kernel picks the port) but
// never listens, so no other process can take the port meanwhile and every
// connection attempt gets a reset.
class ClosedPort {
public:
    ClosedPort();
    ~ClosedPort();
    ClosedPort(const ClosedPort &) = delete;
    ClosedPort &operator=(const ClosedPort &) = delete;

    // 0 when no socket could be bound.
    quint16 port() const { return m_port; }

private:
    int m_socket = -1;
    quint16 m_port = 0;
};

} // namespace portolan::test
