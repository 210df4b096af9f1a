"""Numbers against targets: progress and status, town quotas and the 赛马 ranking, 三大工厂
eligibility, 亩均 grading, comparison with peers. Reads through plantrack.store; draws nothing."""
