"""Legends that hide no curve and no annotation.

`legend_off_the_curves(ax)` tries the usual legend places inside the axes and keeps
the first where the legend covers none of the drawn points of the axes' lines and no
text; when every place covers something, the legend goes outside, right of the axes.
matplotlib's loc="best" counts data vertices, so a steep line with few vertices in
view, such as 0.25^k on a log axis, can end up under the legend; here every line
is followed along its drawn path.  Call it after `fig.tight_layout()`.
"""
import numpy as np

LEGEND_PLACES = ("upper right", "lower right", "upper left", "lower left", "center right", "center left")


def points_under_legend(ax, legend):
    """How many drawn points of the axes' lines the legend covers (in display pixels);
    each annotation text it overlaps counts 1000.

    Each line is resampled every 2 px along its path, so a steep segment between two
    data points counts too (a line of markers only: its markers); points outside the
    axes are not drawn and do not count.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    box, inside = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    covered = sum(1000 for t in ax.texts if t.get_visible() and t.get_text().strip()
                  and box.overlaps(t.get_window_extent(renderer)))
    for line in ax.get_lines():
        xy = ax.transData.transform(np.column_stack(line.get_data()).astype(np.float64))
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if line.get_linestyle() not in ("None", "", " "):        # a drawn line: follow its path
            segments = [np.linspace(a, b, max(2, int(np.hypot(*(b - a)) / 2))) for a, b in zip(xy[:-1], xy[1:])]
            xy = np.concatenate(segments) if segments else xy[:0]
        covered += int(np.count_nonzero(_within(xy, inside) & _within(xy, box)))
    return covered


def _within(xy, bbox):
    """Which of the (N, 2) display points lie in bbox (edges included)."""
    (x0, y0), (x1, y1) = np.sort(bbox.get_points(), axis=0)
    return (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)


def legend_off_the_curves(ax, places=LEGEND_PLACES, outside="right"):
    """Put the legend where it hides nothing inside the axes, else outside them; return it.

    outside: 'right' of the axes, or 'below' them, under the x label (for long labels: the
    figure then grows downwards instead of getting wider and being shown scaled down).
    """
    for place in places:
        legend = ax.legend(loc=place)
        if points_under_legend(ax, legend) == 0:
            return legend
    if outside == "below":
        renderer = ax.figure.canvas.get_renderer()
        bottom = ax.get_tightbbox(renderer).y0                # the x label's lower edge
        y = ax.transAxes.inverted().transform((0.0, bottom))[1]
        return ax.legend(loc="upper center", bbox_to_anchor=(0.5, y - 0.03), borderaxespad=0.0)
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
