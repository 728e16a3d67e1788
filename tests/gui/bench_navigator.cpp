// Benchmark, not a test: loads a large description ($PORTOLAN_GRAPH_BETA,
// e.g. Microsoft Graph beta with 22,361 operations, or the path given as the
// first argument) into the real navigator and prints how long each filter
// keystroke takes — matching, rebuilding the model and laying out the view.
//   xvfb-run -a build-gui/tests/gui/bench_navigator [FILE]
#include "apimodel.h"
#include "documentloader.h"
#include "navigatormodel.h"
#include "navigatorpanel.h"
#include "operationfilter.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace portolan;

namespace {
// CPU time of this thread: on a shared machine, wall time also counts other processes.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QString path = argc > 1 ? QString::fromLocal8Bit(argv[1]) : qEnvironmentVariable("PORTOLAN_GRAPH_BETA");
    if (path.isEmpty()) {
        std::fprintf(stderr, "usage: bench_navigator FILE   (or set PORTOLAN_GRAPH_BETA)\n");
        return 2;
    }

    QElapsedTimer total;
    total.start();
    DocumentLoader loader;
    LoadResult result;
    QEventLoop wait;  // a benchmark driver, not product code
    QObject::connect(&loader, &DocumentLoader::finished, &wait, [&](const LoadResult &r) {
        result = r;
        wait.quit();
    });
    loader.load(sourceUrlFromUserInput(path));
    wait.exec();
    if (!result.document) {
        std::fprintf(stderr, "could not load %s\n", qPrintable(path));
        return 1;
    }
    const qint64 loadMs = total.elapsed();

    QVector<const Operation *> operations;
    for (const Operation &op : result.document->operations)
        operations.append(&op);
    gui::NavigatorPanel panel;
    panel.resize(420, 900);
    panel.show();
    QElapsedTimer timer;
    timer.start();
    panel.setOperations(operations, result.document->tags);
    QCoreApplication::processEvents();
    const qint64 fillMs = timer.elapsed();
    std::printf("%s: %lld operations; load %lld ms, navigator filled and shown %lld ms\n", qPrintable(path),
                static_cast<long long>(operations.size()), static_cast<long long>(loadMs), static_cast<long long>(fillMs));
    std::printf("open to a usable navigator: %lld ms (target <= 1000 ms for Microsoft Graph beta)\n",
                static_cast<long long>(loadMs + fillMs));

    // Type a few realistic queries one key at a time, then erase them.
    const QStringList queries = {QStringLiteral("users"), QStringLiteral("get messages"), QStringLiteral("drive items content"),
                                 QStringLiteral("post"), QStringLiteral("zzz")};
    QVector<double> times;
    QVector<double> cpuTimes;
    for (const QString &query : queries) {
        QString typed;
        for (int i = 0; i <= query.size(); ++i) {
            typed = query.left(i);
            const double cpuStart = threadCpuMs();
            timer.restart();
            panel.setFilterText(typed);
            const double filtered = timer.nsecsElapsed() / 1e6;
            QCoreApplication::processEvents();  // the view's relayout and paint
            const double ms = timer.nsecsElapsed() / 1e6;
            times.append(ms);
            cpuTimes.append(threadCpuMs() - cpuStart);
            std::printf("  %-22s %6.2f ms (filter, model, expansion %5.2f; layout and paint %5.2f)  %6d shown\n",
                        qPrintable(QLatin1Char('"') + typed + QLatin1Char('"')), ms, filtered, ms - filtered,
                        panel.model()->visibleOperationCount());
        }
        for (int i = query.size() - 1; i >= 0; --i) {  // erase it again before the next query
            panel.setFilterText(query.left(i));
            QCoreApplication::processEvents();
        }
    }
    // Where the time goes, on the same keystrokes: matching alone, then the model rebuild alone.
    gui::OperationFilter filter;
    filter.setOperations(operations);
    gui::NavigatorModel model;
    model.setOperations(operations, result.document->tags);
    QVector<double> matchTimes, modelTimes;
    for (const QString &query : queries) {
        for (int i = 0; i <= query.size(); ++i) {
            timer.restart();
            const QVector<int> matches = filter.match(query.left(i));
            matchTimes.append(timer.nsecsElapsed() / 1e6);
            timer.restart();
            model.setVisibleOperations(matches);
            modelTimes.append(timer.nsecsElapsed() / 1e6);
        }
    }
    std::sort(matchTimes.begin(), matchTimes.end());
    std::sort(modelTimes.begin(), modelTimes.end());
    std::printf("matching alone: median %.2f ms, max %.2f ms; model rebuild alone: median %.2f ms, max %.2f ms\n",
                matchTimes[matchTimes.size() / 2], matchTimes.last(), modelTimes[modelTimes.size() / 2], modelTimes.last());

    std::sort(times.begin(), times.end());
    std::sort(cpuTimes.begin(), cpuTimes.end());
    std::printf("per typed keystroke (%lld): wall median %.2f ms, 90th percentile %.2f ms (target <= 8 ms), max %.2f ms\n",
                static_cast<long long>(times.size()), times[times.size() / 2], times[times.size() * 9 / 10], times.last());
    std::printf("                        thread CPU median %.2f ms, 90th percentile %.2f ms, max %.2f ms\n",
                cpuTimes[cpuTimes.size() / 2], cpuTimes[cpuTimes.size() * 9 / 10], cpuTimes.last());
    return 0;
}
