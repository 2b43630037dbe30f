#!/usr/bin/python3
"""A non-.NET client under sustained load (issue 8): publishes plain-JSON ScoreImages jobs to the worker's
score-images-json queue from several threads with Debian's python3-pika, consumes the three event exchanges, and
checks that every image got exactly one outcome and every job exactly one completion whose counts match.

Usage (tools/load/run.sh sets it up): pika_load.py AMQP_URL IMAGE_DIR --jobs 50 --per-job 200 --threads 4
Prints one JSON summary line; exit 0 only when every check passed."""
import argparse, json, os, sys, threading, time, uuid
import pika

EXCHANGES = ["MetaQap.Contracts:ImageScored", "MetaQap.Contracts:ImageScoringFailed", "MetaQap.Contracts:ScoringJobCompleted"]


def publisher(url, jobs, images, per_job, errors):
    try:
        connection = pika.BlockingConnection(pika.URLParameters(url))
        channel = connection.channel()
        channel.confirm_delivery()
        for job_id in jobs:
            refs = [{"id": f"img-{i:04d}", "uri": images[i % len(images)]} for i in range(per_job)]
            body = json.dumps({"jobId": job_id, "images": refs, "tags": {"client": "pika-load"}})
            channel.basic_publish("", "score-images-json", body.encode(),
                                  pika.BasicProperties(content_type="application/json", delivery_mode=2))
        connection.close()
    except Exception as e:  # reported, and the run fails
        errors.append(repr(e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url"); ap.add_argument("images")
    ap.add_argument("--jobs", type=int, default=50); ap.add_argument("--per-job", type=int, default=200)
    ap.add_argument("--threads", type=int, default=4); ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--ext", default=".png", help="file names ending so are the job's images")
    a = ap.parse_args()
    images = sorted(os.path.join(a.images, f) for f in os.listdir(a.images) if f.endswith(a.ext))
    jobs = [str(uuid.uuid4()) for _ in range(a.jobs)]

    # Subscribe before publishing: a server-named exclusive queue bound to the three fanout exchanges.
    consumer = pika.BlockingConnection(pika.URLParameters(a.url))
    ch = consumer.channel()
    queue = ch.queue_declare("", exclusive=True).method.queue
    for exchange in EXCHANGES:
        ch.exchange_declare(exchange, "fanout", durable=True)
        ch.queue_bind(queue, exchange)

    wanted = set(jobs)
    outcomes, message_ids, completions = {}, set(), {}
    repeats = 0
    started = time.monotonic()
    errors = []
    threads = [threading.Thread(target=publisher, args=(a.url, jobs[t::a.threads], images, a.per_job, errors)) for t in range(a.threads)]
    for t in threads: t.start()
    for t in threads: t.join()
    published = time.monotonic()

    for method, _, body in ch.consume(queue, inactivity_timeout=5):
        if method is not None:
            envelope = json.loads(body)
            ch.basic_ack(method.delivery_tag)
            message = envelope.get("message", envelope)
            if message.get("jobId") not in wanted:
                continue
            # Events are at least once, always with the same messageId (docs/contracts/README.md): count it once.
            if envelope.get("messageId") in message_ids:
                repeats += 1
                continue
            message_ids.add(envelope.get("messageId"))
            kind = envelope.get("messageType", [""])[0]
            if kind.endswith(":ScoringJobCompleted"):
                completions.setdefault(message["jobId"], []).append(message)
            else:
                key = (message["jobId"], message["imageId"])
                outcomes[key] = outcomes.get(key, 0) + 1
        if len(completions) == len(jobs) or time.monotonic() - started > a.timeout:
            break
    finished = time.monotonic()
    consumer.close()

    total = a.jobs * a.per_job
    doubled = sum(1 for n in outcomes.values() if n > 1)
    bad_summaries = [j for j, c in completions.items()
                     if len(c) != 1 or c[0]["totalImages"] != a.per_job or c[0]["scoredImages"] + c[0]["failedImages"] != a.per_job]
    summary = {
        "jobs": a.jobs, "images": total, "publish_threads": a.threads, "publish_errors": errors,
        "outcomes": len(outcomes), "images_with_two_outcomes": doubled, "repeated_deliveries_same_message_id": repeats,
        "completions": len(completions), "jobs_with_bad_summary": len(bad_summaries),
        "scored": sum(c[0]["scoredImages"] for c in completions.values()),
        "failed": sum(c[0]["failedImages"] for c in completions.values()),
        "publish_seconds": round(published - started, 2), "seconds_to_last_completion": round(finished - started, 2),
        "images_per_second": round(total / (finished - started), 1),
        "job_ids": jobs,
    }
    print(json.dumps(summary))
    ok = not errors and len(outcomes) == total and doubled == 0 and len(completions) == a.jobs and not bad_summaries
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
