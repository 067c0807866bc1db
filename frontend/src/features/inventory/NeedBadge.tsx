import { Badge, Tooltip } from '@mantine/core';

import type { ForecastBrief, Need } from '@/api/client';

import { NEED_LABELS } from './listState';

const COLORS: Record<Need, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue', none: 'gray' };

/** The need level (or why there is none), with the reason on hover and for screen readers. */
export function NeedBadge({ forecast, withTooltip = true }: { forecast: ForecastBrief | null; withTooltip?: boolean }) {
  if (forecast === null) {
    return (
      <Badge color="gray" variant="outline" size="sm">
        Not computed
      </Badge>
    );
  }
  const badge =
    forecast.need === null ? (
      <Badge color="gray" variant="outline" size="sm" aria-label={`Need: ${forecast.reason}`}>
        No history
      </Badge>
    ) : (
      <Badge color={COLORS[forecast.need]} variant="light" size="sm" aria-label={`Need ${NEED_LABELS[forecast.need]}: ${forecast.reason}`}>
        {NEED_LABELS[forecast.need]}
      </Badge>
    );
  return withTooltip ? (
    <Tooltip label={forecast.reason} multiline maw={320} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
