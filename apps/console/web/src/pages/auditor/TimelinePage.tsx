import { Anchor, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import {
  currencyIn,
  FieldList,
  kindLabel,
  RawJson,
  SearchBox,
  Tag,
  type EntityKind,
  type Names,
} from './kit';
import { PageTitle } from '../../components/Headings';

type TimelineEvent = SettlementAnswer<'AuditController_timeline'>['events'][number];

/**
 * Every event that touched one entity, in log order, readable, page after page. The kind comes from
 * the address as it is: one the exchange does not know is its to refuse (the page shows the problem).
 */
export default function TimelinePage() {
  const { t } = useTranslation();
  const params = useParams();
  const kind = (params.kind || 'lead') as EntityKind;
  const id = params.id ?? '';
  const list = useCursorList<TimelineEvent & { names: Names }>(
    ['auditor', 'timeline', kind, id],
    async (cursor) => {
      const page = data(
        await settlementApi.GET('/v1/audit/timeline/{kind}/{id}', {
          params: { path: { kind, id }, query: { cursor, limit: 100 } },
        }),
      );
      return {
        items: page.events.map((event) => ({ ...event, names: page.participants })),
        nextCursor: page.nextCursor,
      };
    },
  );
  const currency = currencyIn(list.items.map((event) => event.data));

  return (
    <Stack>
      <SearchBox />
      <PageTitle>{t('auditor.timeline.title', { kind: kindLabel(t, kind) })}</PageTitle>
      <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {t('auditor.timeline.id', { id })}
      </Text>
      {kind === 'allocation' && (
        <Group gap="sm">
          <Button component={Link} to={`/auditor/allocations/${id}`}>
            {t('auditor.timeline.explain')}
          </Button>
          <Button component={Link} to={`/auditor/disputes/${id}/report`} variant="default">
            {t('auditor.timeline.report')}
          </Button>
        </Group>
      )}
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('auditor.timeline.empty')}
      >
        {() => (
          <Stack gap="sm">
            <Text size="sm">{t('auditor.timeline.count', { count: list.items.length })}</Text>
            <ol style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 12 }}>
              {list.items.map((event) => (
                <li key={`${event.position}:${event.stream}:${event.revision}`}>
                  <EventCard event={event} currency={currency} />
                </li>
              ))}
            </ol>
            {list.hasMore && (
              <Group justify="center">
                <Button variant="default" loading={list.query.isFetchingNextPage} onClick={list.loadMore}>
                  {t('auditor.timeline.more')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

/** The event as the exchange answered it (without the names the page keeps beside it). */
function asAnswered({ names: _names, ...event }: TimelineEvent & { names: Names }): TimelineEvent {
  return event;
}

function EventCard({ event, currency }: { event: TimelineEvent & { names: Names }; currency?: string }) {
  const { t } = useTranslation();
  const allocationId = (event.data as { allocationId?: unknown } | null)?.allocationId;
  return (
    <Card withBorder padding="sm" component="article" aria-label={event.type}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Tag tone="info">{event.type}</Tag>
          <Text size="sm">
            {t('auditor.timeline.by', {
              actor: event.actor === 'system' ? t('auditor.actor.system') : event.actorName,
            })}{' '}
            · <Instant iso={event.occurredAt} />
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {t('auditor.timeline.position', { position: event.position })}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mt={4} style={{ overflowWrap: 'anywhere' }}>
        {t('auditor.timeline.stream', { stream: event.stream, revision: event.revision })} ·{' '}
        {t('auditor.timeline.hash', { hash: event.hash })}
      </Text>
      <Stack gap={6} mt="xs">
        {event.summary && (
          <Text size="sm" aria-label={t('auditor.timeline.summary')}>
            {event.summary}
          </Text>
        )}
        <FieldList data={event.data} currency={currency} names={event.names} />
        {event.type === 'LeadAllocated' && typeof allocationId === 'string' && (
          <Anchor component={Link} to={`/auditor/allocations/${allocationId}`} size="sm">
            {t('auditor.timeline.explain')}
          </Anchor>
        )}
        <RawJson value={asAnswered(event)} />
      </Stack>
    </Card>
  );
}
