#!/usr/bin/env python3
"""bench/workload.py: SQL for a binlog that looks like production, on stdout.

Benchmarks pipe it into `mariadb` on their own sandbox (ROW format, annotate on), so the binlog holds what a real
shop's does: multi-row INSERT statements (their text logged as ANNOTATE_ROWS / Rows_query), several tables with
varied column types (integers, DECIMAL, DOUBLE, DATETIME(6), TIMESTAMP(3), ENUM, SET, JSON, utf8mb4 and latin1 text,
BLOB, BIT), many small transactions (an order and its lines, a status update by key), a few big ones (a batch
INSERT of 1,000 rows per statement, an UPDATE of a whole table, a DELETE of a key range).

    bench/workload.py [--target-mib N] [--seed S] [--database DB]

--target-mib is the size of the row text the generator inserts; the binlog comes out about 2.2-2.3 times as large
(statement text, row images, the UPDATEs' before and after images): 160 gave 352 MiB, 170 gave 371 MiB. --seed makes held-out inputs: the same seed gives the same SQL.
"""
import argparse
import json
import random

p = argparse.ArgumentParser()
p.add_argument("--target-mib", type=int, default=160)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--database", default="bench")
args = p.parse_args()
rnd = random.Random(args.seed)
db = args.database
out = []
emit = out.append

WORDS = ["alpha", "Bräu", "café", "naïve", "Zürich", "東京", "smörgåsbord", "piñata", "data", "order", "ship",
         "gift", "blue", "red", "green", "déjà vu", "O'Reilly", "back\\slash", "tab\tbed", "emoji 🎉"]


def text(n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dt(base_day, sec):
    d = 1 + base_day % 28
    m = 1 + (base_day // 28) % 12
    return "'2025-%02d-%02d %02d:%02d:%02d.%06d'" % (m, d, sec // 3600 % 24, sec // 60 % 60, sec % 60,
                                                     rnd.randrange(1000000))


emit(f"DROP DATABASE IF EXISTS {db};")
emit(f"CREATE DATABASE {db} CHARACTER SET utf8mb4;")
emit(f"USE {db};")
emit("""CREATE TABLE customers (
  id INT UNSIGNED PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(120), city VARCHAR(60) CHARACTER SET latin1,
  tier ENUM('basic','silver','gold') NOT NULL DEFAULT 'basic', flags SET('vip','newsletter','blocked'),
  created_at DATETIME(6) NOT NULL, balance DECIMAL(14,4) NOT NULL DEFAULT 0, active BIT(1) NOT NULL DEFAULT b'1'
) ENGINE=InnoDB;""")
emit("""CREATE TABLE orders (
  id BIGINT UNSIGNED PRIMARY KEY, customer_id INT UNSIGNED NOT NULL,
  status ENUM('new','paid','shipped','lost') NOT NULL, total DECIMAL(12,2) NOT NULL, weight DOUBLE,
  placed_at DATETIME(6) NOT NULL, updated_at TIMESTAMP(3) NULL, note VARCHAR(255), attrs JSON,
  KEY (customer_id)
) ENGINE=InnoDB;""")
emit("""CREATE TABLE order_lines (
  order_id BIGINT UNSIGNED NOT NULL, line SMALLINT UNSIGNED NOT NULL, sku CHAR(12) NOT NULL, qty INT NOT NULL,
  price DECIMAL(10,2) NOT NULL, discount FLOAT, PRIMARY KEY (order_id, line)
) ENGINE=InnoDB;""")
emit("""CREATE TABLE events (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(32) NOT NULL, at TIMESTAMP(6) NOT NULL,
  body BLOB, score MEDIUMINT, ratio DOUBLE, day DATE, span TIME(3), yr YEAR
) ENGINE=InnoDB;""")

target = args.target_mib * 1024 * 1024
written = 0
customers = 0
orders = 0
lines_per_stmt = 1000

# Customers: one batch load in multi-row statements.
for start in range(0, 20000, lines_per_stmt):
    rows = []
    for i in range(start + 1, start + lines_per_stmt + 1):
        row = "(%d,%s,%s,%s,%s,%s,%s,%d.%04d,b'%d')" % (
            i, q(text(2)), q("c%d@example.com" % i) if i % 9 else "NULL", q(rnd.choice(["Paris", "Köln", "Oslo",
                                                                                       "Lyon", "Genève"])),
            q(rnd.choice(["basic", "silver", "gold"])), q(rnd.choice(["", "vip", "newsletter", "vip,newsletter"])),
            dt(i % 300, i), rnd.randrange(-10000, 100000), rnd.randrange(10000), i % 2)
        rows.append(row)
        written += len(row)
    emit("INSERT INTO customers VALUES " + ",".join(rows) + ";")
    customers = start + lines_per_stmt

events_id = 0
round_no = 0
while written < target:
    round_no += 1
    # A big batch: 1,000 orders in one multi-row INSERT, their lines in another, one transaction.
    emit("BEGIN;")
    rows, lrows = [], []
    for _ in range(lines_per_stmt):
        orders += 1
        attrs = json.dumps({"channel": rnd.choice(["web", "app", "store"]), "items": rnd.randrange(1, 9),
                            "tags": [rnd.choice(WORDS), "x"], "gift": rnd.choice([True, False, None])},
                           ensure_ascii=False)
        row = "(%d,%d,%s,%d.%02d,%s,%s,%s,%s,%s)" % (
            orders, rnd.randrange(1, customers + 1), q(rnd.choice(["new", "paid", "shipped"])),
            rnd.randrange(0, 5000), rnd.randrange(100), "NULL" if orders % 7 == 0 else repr(rnd.random() * 30),
            dt(orders % 300, orders % 86400), "NULL" if orders % 5 == 0 else "'2025-06-01 10:00:00.123'",
            q(text(rnd.randrange(1, 12))), q(attrs))
        rows.append(row)
        written += len(row)
        for line in range(1, rnd.randrange(2, 4)):
            lrow = "(%d,%d,%s,%d,%d.%02d,%s)" % (orders, line, q("SKU%09d" % rnd.randrange(10 ** 9)),
                                                 rnd.randrange(1, 20), rnd.randrange(1, 500), rnd.randrange(100),
                                                 "NULL" if line % 2 else "0.15")
            lrows.append(lrow)
            written += len(lrow)
    emit("INSERT INTO orders VALUES " + ",".join(rows) + ";")
    emit("INSERT INTO order_lines VALUES " + ",".join(lrows) + ";")
    emit("COMMIT;")
    # Small transactions: single orders, status updates by key, customer updates, events with blobs.
    for _ in range(40):
        kind = rnd.randrange(4)
        if kind == 0:
            oid = rnd.randrange(1, orders + 1)
            emit("UPDATE orders SET status='paid', updated_at='2025-07-01 08:00:00.500' WHERE id=%d;" % oid)
        elif kind == 1:
            cid = rnd.randrange(1, customers + 1)
            emit("UPDATE customers SET balance=balance+%d.25, flags='vip' WHERE id=%d;" % (rnd.randrange(100), cid))
        elif kind == 2:
            events_id += 1
            body = "0x" + "".join("%02x" % rnd.randrange(256) for _ in range(rnd.randrange(16, 600)))
            emit("INSERT INTO events (kind, at, body, score, ratio, day, span, yr) VALUES (%s, '2025-05-05 "
                 "05:05:05.%06d', %s, %d, %r, '2025-02-%02d', '%02d:10:11.250', %d);" % (
                     q(rnd.choice(["login", "view", "cart"])), rnd.randrange(10 ** 6), body,
                     rnd.randrange(-8000000, 8000000), rnd.random(), rnd.randrange(1, 28), rnd.randrange(24),
                     rnd.randrange(1990, 2030)))
            written += len(body)
        else:
            emit("BEGIN;")
            orders += 1
            emit("INSERT INTO orders VALUES (%d,%d,'new',%d.99,NULL,'2025-08-08 08:08:08.080808',NULL,%s,NULL);" % (
                orders, rnd.randrange(1, customers + 1), rnd.randrange(1000), q(text(3))))
            emit("INSERT INTO order_lines VALUES (%d,1,'SKU000000001',1,9.99,NULL),(%d,2,'SKU000000002',2,"
                 "1.50,0.1);" % (orders, orders))
            emit("COMMIT;")
    if round_no % 40 == 0:
        # A big UPDATE and a key-range DELETE now and then.
        emit("UPDATE orders SET status='shipped', note=CONCAT(note, ' (shipped)') WHERE id BETWEEN %d AND %d;" % (
            orders - 20000, orders - 10000))
        emit("DELETE FROM order_lines WHERE order_id BETWEEN %d AND %d;" % (orders - 30000, orders - 29000))

print("\n".join(out))
