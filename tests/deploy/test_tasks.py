"""Celery: in-process without a broker; a real worker on Redis when REDIS_URL is set."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from portal.accounts.tasks import task_clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


def _sessions():
    fresh = SessionStore()
    fresh.create()
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    return fresh.session_key, stale.session_key


def test_beat_schedules_the_nightly_session_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == task_clear_expired_sessions.name


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="the embedded default runs tasks in-process")
def test_without_a_broker_tasks_run_in_process(db):
    fresh, stale = _sessions()
    assert task_clear_expired_sessions.delay().get() == 1
    assert set(Session.objects.values_list("session_key", flat=True)) == {fresh}


@pytest.mark.services
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL",
)
def test_a_real_worker_on_redis_runs_the_task(transactional_db):
    fresh, stale = _sessions()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        result = task_clear_expired_sessions.apply_async(queue=queue)
        assert result.get(timeout=60) == 1
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert set(Session.objects.values_list("session_key", flat=True)) == {fresh}, output
