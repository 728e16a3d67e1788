#pragma once

#include "bodyformat.h"
#include "exchange.h"

#include <QFutureWatcher>
#include <QStringList>
#include <QThreadPool>
#include <QVector>
#include <QWidget>

class QLabel;
class QLineEdit;
class QScrollArea;
class QTabWidget;
class QTextBrowser;
class QToolButton;

namespace portolan::gui {

class LargeTextView;

// A response (or request) body in every useful form: pretty (JSON/XML
// coloured), raw, hex, image and HTML (scripts never run: a QTextBrowser
// loads nothing from the network). Formatting and searching run on worker
// threads, so a 50 MB body never freezes the window.
class BodyView : public QWidget {
    Q_OBJECT
public:
    explicit BodyView(QWidget *parent = nullptr);
    ~BodyView() override;

    // Shows `bytes` (the whole body) as `contentType`; replaces what was shown.
    void setBody(const QByteArray &bytes, const QByteArray &contentType);
    // The same for a recorded body, read on the worker thread when it was spilled to a file.
    void setBody(const http::ResponseBody &body, const QByteArray &contentType);
    void clear();
    bool isRendering() const { return m_rendering; }
    BodyKind kind() const { return m_body.kind; }
    const RenderedBody &renderedBody() const { return m_body; }

    // Finds `text` after the current match in the shown tab (case-insensitive).
    void find(const QString &text);

    // Marks the values at these JSON pointers (problems found in a JSON body;
    // a null string for a problem that has no place there) in the pretty view,
    // once it is formatted. The next body clears them.
    void markProblems(const QStringList &pointers);
    // Shows the pretty view scrolled to the problem's value; false when it has no place there.
    bool showProblem(int index);
    // Byte offsets in the pretty text of the marked values (-1 when not found).
    const QVector<qint64> &problemOffsets() const { return m_problemOffsets; }

    QTabWidget *tabs() const { return m_tabs; }
    LargeTextView *prettyView() const { return m_pretty; }
    LargeTextView *rawView() const { return m_raw; }
    LargeTextView *hexView() const { return m_hex; }
    QTextBrowser *htmlView() const { return m_html; }
    QLabel *imageView() const { return m_image; }
    QLineEdit *searchField() const { return m_search; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void rendered();
    void searchFinished(bool found);
    void problemsMarked();

private:
    void render(std::function<QByteArray()> read, qint64 size, const QByteArray &contentType);
    void showRendered();
    void locateProblems();
    LargeTextView *currentTextView() const;

    // Its own threads: Qt's raster painting waits on the global pool, so
    // long formatting there would freeze painting.
    QThreadPool m_pool;
    RenderedBody m_body;
    QFutureWatcher<RenderedBody> m_render;
    QFutureWatcher<qint64> m_searching;
    QFutureWatcher<QVector<qint64>> m_locating;
    QStringList m_problemPointers;
    QVector<qint64> m_problemOffsets;
    QString m_searchText;
    bool m_rendering = false;  // a body is being formatted; the views show the previous state
    QTabWidget *m_tabs;        // owned by this, like the widgets below
    LargeTextView *m_pretty;
    LargeTextView *m_raw;
    LargeTextView *m_hex;
    QScrollArea *m_imageScroll;
    QLabel *m_image;
    QTextBrowser *m_html;
    QLineEdit *m_search;
    QLabel *m_status;
};

} // namespace portolan::gui
