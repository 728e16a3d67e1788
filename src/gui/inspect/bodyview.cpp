#include "bodyview.h"

#include "largetextview.h"

#include "jsonpointer.h"
#include "parser.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace portolan::gui {

namespace {
// QTextBrowser fetches nothing by itself but local files; refuse those too so a
// previewed page cannot read the disk.
class InertBrowser : public QTextBrowser {
public:
    using QTextBrowser::QTextBrowser;
    QVariant loadResource(int, const QUrl &) override { return {}; }
};

LargeTextView::Syntax syntaxFor(BodyKind kind)
{
    switch (kind) {
    case BodyKind::Json:
        return LargeTextView::Syntax::Json;
    case BodyKind::Xml:
    case BodyKind::Html:
        return LargeTextView::Syntax::Xml;
    default:
        return LargeTextView::Syntax::None;
    }
}
} // namespace

BodyView::BodyView(QWidget *parent)
    : QWidget(parent), m_tabs(new QTabWidget(this)), m_pretty(new LargeTextView), m_raw(new LargeTextView),
      m_hex(new LargeTextView), m_imageScroll(new QScrollArea), m_image(new QLabel), m_html(new InertBrowser),
      m_search(new QLineEdit(this)), m_status(new QLabel(this))
{
    m_pool.setMaxThreadCount(2);  // one formatting, one searching
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_hex, tr("Hex"));
    m_imageScroll->setWidget(m_image);
    m_imageScroll->setAlignment(Qt::AlignCenter);
    m_image->setAlignment(Qt::AlignCenter);
    m_tabs->addTab(m_imageScroll, tr("Image"));
    m_html->setOpenLinks(false);
    m_html->setOpenExternalLinks(false);
    m_tabs->addTab(m_html, tr("HTML"));
    m_tabs->setAccessibleName(tr("Body views"));
    m_pretty->setAccessibleName(tr("Pretty body"));
    m_raw->setAccessibleName(tr("Raw body"));
    m_hex->setAccessibleName(tr("Hex dump"));
    m_html->setAccessibleName(tr("HTML preview"));

    m_search->setPlaceholderText(tr("Find in body (Enter: next)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Find in body"));
    m_status->setAccessibleName(tr("Body status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_search);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_tabs, 1);

    connect(&m_render, &QFutureWatcher<RenderedBody>::finished, this, &BodyView::showRendered);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { find(m_search->text()); });
    connect(&m_searching, &QFutureWatcher<qint64>::finished, this, [this] {
        const qint64 offset = m_searching.result();
        LargeTextView *view = currentTextView();
        if (view)
            view->showMatch(offset, m_searchText.toUtf8().size());
        m_status->setText(offset < 0 ? tr("“%1” not found").arg(m_searchText)
                                     : tr("“%1” at byte %2").arg(m_searchText, QLocale().toString(offset)));
        Q_EMIT searchFinished(offset >= 0);
    });
    connect(&m_locating, &QFutureWatcher<QVector<qint64>>::finished, this, [this] {
        m_problemOffsets = m_locating.result();
        m_pretty->setMarks(m_problemOffsets);
        Q_EMIT problemsMarked();
    });
    clear();
}

BodyView::~BodyView()
{
    m_render.waitForFinished();
    m_searching.waitForFinished();
    m_locating.waitForFinished();
}

void BodyView::clear()
{
    m_rendering = false;
    m_body = RenderedBody();
    m_problemPointers.clear();
    m_problemOffsets.clear();
    m_pretty->setLines({});
    m_raw->setLines({});
    m_hex->setLines({});
    m_image->clear();
    m_html->clear();
    m_status->setText(tr("No body"));
}

void BodyView::setBody(const QByteArray &bytes, const QByteArray &contentType)
{
    render([bytes] { return bytes; }, bytes.size(), contentType);
}

void BodyView::setBody(const http::ResponseBody &body, const QByteArray &contentType)
{
    render([body] { return readBody(body); }, body.decodedSize, contentType);
}

void BodyView::render(std::function<QByteArray()> read, qint64 size, const QByteArray &contentType)
{
    clear();
    m_rendering = true;
    m_status->setText(tr("Formatting %1 bytes…").arg(QLocale().toString(size)));
    // A newer body replaces this one: the watcher then forgets the old future.
    m_render.setFuture(QtConcurrent::run(&m_pool, [read, contentType] { return renderBody(read(), contentType); }));
}

void BodyView::showRendered()
{
    if (!m_rendering)
        return;  // cleared meanwhile
    m_rendering = false;
    m_body = m_render.result();
    const LargeTextView::Syntax syntax = m_body.prettified ? syntaxFor(m_body.kind) : LargeTextView::Syntax::None;
    m_pretty->setLines(m_body.pretty, syntax);
    m_raw->setLines(m_body.raw, LargeTextView::Syntax::None);
    m_hex->setLines(m_body.hex);
    if (!m_body.image.isNull())
        m_image->setPixmap(QPixmap::fromImage(m_body.image));
    else
        m_image->setText(m_body.kind == BodyKind::Image ? tr("The image could not be decoded.") : tr("Not an image."));
    if (m_body.kind == BodyKind::Html)
        m_html->setHtml(m_body.html);
    else
        m_html->setPlainText(tr("Not HTML."));

    m_tabs->setTabEnabled(m_tabs->indexOf(m_imageScroll), m_body.kind == BodyKind::Image);
    m_tabs->setTabEnabled(m_tabs->indexOf(m_html), m_body.kind == BodyKind::Html);
    switch (m_body.kind) {
    case BodyKind::Image:
        m_tabs->setCurrentWidget(m_imageScroll);
        break;
    case BodyKind::Binary:
        m_tabs->setCurrentWidget(m_hex);
        break;
    default:
        m_tabs->setCurrentWidget(m_pretty);
    }
    const QString kinds[] = {tr("empty"), QStringLiteral("JSON"), QStringLiteral("XML"), QStringLiteral("HTML"),
                             tr("image"), tr("text"), tr("binary")};
    m_status->setText(m_body.kind == BodyKind::Empty
                          ? tr("No body")
                          : tr("%1 · %2 bytes · %3 lines").arg(kinds[int(m_body.kind)], QLocale().toString(m_body.size),
                                                              QLocale().toString(m_body.pretty.count())));
    Q_EMIT rendered();
    locateProblems();
}

void BodyView::markProblems(const QStringList &pointers)
{
    m_problemPointers = pointers;
    m_problemOffsets.clear();
    if (!m_rendering)
        locateProblems();
}

void BodyView::locateProblems()
{
    if (m_problemPointers.isEmpty() || m_body.kind != BodyKind::Json)
        return;
    // The pretty text is parsed again (off this thread) to find where each value now stands.
    m_locating.setFuture(QtConcurrent::run(&m_pool, [text = m_body.pretty.bytes(), pointers = m_problemPointers] {
        QVector<qint64> offsets(pointers.size(), -1);
        const ParseResult parsed = parseJson(text);
        if (parsed.error)
            return offsets;
        for (qsizetype i = 0; i < pointers.size(); ++i) {
            if (pointers[i].isNull())
                continue;  // a problem with no place in the body
            const QByteArray pointer = pointers[i].toUtf8();
            const auto tokens = jsonpointer::split(std::string_view(pointer.constData(), std::size_t(pointer.size())));
            const NodeId node = tokens ? jsonpointer::resolve(parsed.tree, parsed.tree.root(), *tokens) : kNoNode;
            if (node != kNoNode)
                offsets[i] = parsed.tree.node(node).offset;
        }
        return offsets;
    }));
}

bool BodyView::showProblem(int index)
{
    if (index < 0 || index >= m_problemOffsets.size() || m_problemOffsets[index] < 0)
        return false;
    m_tabs->setCurrentWidget(m_pretty);
    m_pretty->showMatch(m_problemOffsets[index], 1);
    m_pretty->setFocus();
    return true;
}

LargeTextView *BodyView::currentTextView() const
{
    return qobject_cast<LargeTextView *>(m_tabs->currentWidget());
}

void BodyView::find(const QString &text)
{
    LargeTextView *view = currentTextView();
    if (!view || text.isEmpty() || m_searching.isRunning())
        return;
    const QByteArray needle = text.toUtf8();
    const QByteArray haystack = view->lines().bytes();
    const qint64 from = (text == m_searchText && view->matchOffset() >= 0) ? view->matchOffset() + 1 : 0;
    m_searchText = text;
    m_status->setText(tr("Searching…"));
    m_searching.setFuture(QtConcurrent::run(&m_pool, [haystack, needle, from] { return findText(haystack, needle, from); }));
}

} // namespace portolan::gui
