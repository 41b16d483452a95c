"""The demo: Đảng bộ huyện Nậm Nhùn (Lai Châu), built so that every figure of DOMAIN.md's seed
table comes out of the registry exactly (``grassroots demo``; ``bootstrap`` runs it on an empty
registry).

* :mod:`grassroots.demo.plan` — pure Python, seeded: sample villages, schools, health stations,
  their cells and the members' complete histories;
* :mod:`grassroots.demo.build` — writes the plan: real places through the division loader, the
  rest through the services, members in bulk (validated by the same replay the services use);
* :mod:`grassroots.demo.names` — invented Vietnamese names of the local ethnic groups.

Places above the village are real (Lai Châu, Huyện Nậm Nhùn and its 11 communes, and the
post-2025 communes); everything else is invented and marked ``is_sample``.
"""
